import { Alert } from '../../components/Alert';
import { useErrorText, useT } from '../../i18n';
import { addressDomain, addressProblemOf } from './lnurl-claim';
import { OpenButton, useOpenOnPress } from './open-on-press';
import { LightningPayForm } from './PayCard';

/**
 * A Lightning address (LUD-16) in a chat message. Its payment details live on a server the sender
 * chose, so the card asks nothing until the user presses Open: resolving it on display would tell
 * that server (a stranger's, possibly) this computer's IP address and that the message was read.
 * Once opened, main resolves it and the card becomes the chat's pay form.
 */
export function LightningAddressCard({ address, mine }: { address: string; mine: boolean }) {
  const t = useT();
  const open = useOpenOnPress(address);
  const { view } = open;
  const domain = addressDomain(address);

  if (view?.kind === 'lnurl-pay') return <LightningPayForm text={address} view={view} />;
  if (view) return <p className="hint msg-pay-invalid">{t('lnpay.unsupported')}</p>;
  // A server that has no such name will not have it on a second try either.
  const unknown = open.error !== null && addressProblemOf(open.error).problem === 'unknown';
  return (
    <section className="msg-pay msg-pay-ln" aria-label={t('lnclaim.address.title')}>
      <p className="msg-pay-title">{t('lnclaim.address.title')}</p>
      <p className="mono">{address}</p>
      <p className="hint">{mine ? t('lnclaim.address.sent') : t('lnclaim.address.privacy', { domain })}</p>
      {open.error && <AddressProblemAlert error={open.error} />}
      {/* An address the user sent is where the other side pays them: nothing to open here. */}
      {!mine && !unknown && <OpenButton busy={open.busy} onPress={open.press} />}
    </section>
  );
}

/** A failed open in the user's terms: a server that is down, refuses, or has no such address. */
function AddressProblemAlert({ error }: { error: unknown }) {
  const t = useT();
  const errorText = useErrorText();
  const { problem, domain, reason } = addressProblemOf(error);
  switch (problem) {
    case 'unknown':
      return <Alert>{t('lnclaim.address.unknown', { domain })}</Alert>;
    case 'unreachable':
      return <Alert>{t('lnclaim.problem.unreachable', { domain })}</Alert>;
    case 'refused':
      return <Alert>{t('lnclaim.address.refused', { domain, reason })}</Alert>;
    default:
      return <Alert>{errorText(error)}</Alert>;
  }
}
