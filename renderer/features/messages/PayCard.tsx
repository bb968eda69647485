import type { Network } from '../../../shared/contract/common';
import { parseBitcoinUri } from '../../../shared/bitcoin/uri';
import type { PaymentUri } from '../../../shared/bitcoin/uri';
import { openSendFlow } from '../../app/send-navigation';
import { Amount } from '../../components/Amount';
import { useT } from '../../i18n';

function parse(uri: string, network: Network): PaymentUri | null {
  try {
    return parseBitcoinUri(uri, network);
  } catch {
    return null;
  }
}

/**
 * A BIP21 payment request found in a chat message. "Pay" opens the wallet's Send form with the
 * address and amount filled in; nothing is sent until the user reviews and confirms there.
 */
export function PayCard({ uri, network }: { uri: string; network: Network }) {
  const t = useT();
  const parsed = parse(uri, network);
  if (!parsed || !parsed.address) {
    return <p className="hint msg-pay-invalid">{t('messages.pay.invalid')}</p>;
  }
  const address = parsed.address.address;
  return (
    <section className="msg-pay" aria-label={t('messages.pay.title')}>
      <p className="msg-pay-title">{t('messages.pay.title')}</p>
      <dl className="msg-pay-facts">
        <div>
          <dt>{t('messages.pay.address')}</dt>
          <dd className="mono">{address}</dd>
        </div>
        <div>
          <dt>{t('messages.pay.amount')}</dt>
          <dd>
            {parsed.amountSats !== null ? <Amount sats={parsed.amountSats} /> : t('messages.pay.anyAmount')}
          </dd>
        </div>
      </dl>
      {parsed.message && <p className="hint">{t('messages.pay.note', { text: parsed.message })}</p>}
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          onClick={() => openSendFlow({ address, sats: parsed.amountSats })}
        >
          {t('messages.pay.button')}
        </button>
      </div>
    </section>
  );
}
