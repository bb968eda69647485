import { useState } from 'react';
import { useT } from '../../i18n';
import { ScanDialog } from './ScanDialog';

/**
 * "Scan with camera" beside a paste box: opens the camera view below it and gives the scanned
 * text to `onText` (the box fills in; the user still reviews and submits it).
 */
export function ScanButton(props: { onText: (text: string) => void; disabled?: boolean }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button-small scan-button"
        disabled={props.disabled}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {t('scan.button')}
      </button>
      {open && (
        <ScanDialog
          onClose={() => setOpen(false)}
          onText={(text) => {
            setOpen(false);
            props.onText(text);
          }}
        />
      )}
    </>
  );
}
