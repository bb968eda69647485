import { useCallback, useState } from 'react';
import type { ParsedPaymentView } from '../../../shared/contract/lightning';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { useT } from '../../i18n';

/**
 * A chat's payment text that needs someone's server to read (an LNURL, a Lightning address),
 * resolved in main only when the user presses Open; until then `view` is null.
 */
export function useOpenOnPress(text: string) {
  const flash = useFlash();
  const open = useAction(useCallback(() => flash.lightning.parse({ text }), [flash, text]));
  const [view, setView] = useState<ParsedPaymentView | null>(null);
  const press = (): void => void open.run().then((v) => v && setView(v));
  return { busy: open.busy, error: open.error, view, press };
}

/** The card's Open button, "Opening…" while main asks the server. */
export function OpenButton({ busy, onPress }: { busy: boolean; onPress: () => void }) {
  const t = useT();
  return (
    <div className="actions">
      <button type="button" className="button-primary" disabled={busy} onClick={onPress}>
        {busy ? t('lnclaim.link.opening') : t('lnclaim.link.open')}
      </button>
    </div>
  );
}
