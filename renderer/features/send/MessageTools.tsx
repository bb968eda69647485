import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { CopyButton } from '../../components/CopyButton';
import { useT } from '../../i18n';
import { SendErrorAlert } from './SendErrorAlert';

/** Sign a message with one of this wallet's addresses, or check someone's signed message. */
export function MessageTools(props: { walletId: string; defaultAddress: string; onClose: () => void }) {
  const t = useT();
  return (
    <div className="stack send-messages">
      <SignMessage walletId={props.walletId} defaultAddress={props.defaultAddress} />
      <VerifyMessage />
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          {t('common.back')}
        </button>
      </div>
    </div>
  );
}

function SignMessage({ walletId, defaultAddress }: { walletId: string; defaultAddress: string }) {
  const t = useT();
  const flash = useFlash();
  const id = useId();
  const sign = useAction(flash.send.signMessage);
  const [address, setAddress] = useState(defaultAddress);
  const [message, setMessage] = useState('');
  const [signature, setSignature] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSignature(null);
    const result = await sign.run({ walletId, address: address.trim(), message });
    if (result) setSignature(result.signature);
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('send.sign.title')}</h2>
      <AddressAndMessageFields
        id={id}
        address={address}
        message={message}
        onAddress={setAddress}
        onMessage={setMessage}
      />
      <SendErrorAlert error={sign.error} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={sign.busy || message === ''}>
          {t('send.sign.submit')}
        </button>
      </div>
      {signature !== null && (
        <div className="field">
          <label htmlFor={`${id}-signature`}>{t('send.sign.signature')}</label>
          <textarea id={`${id}-signature`} className="mono" rows={3} readOnly value={signature} />
          <CopyButton text={signature} label={t('send.sign.copy')} />
        </div>
      )}
    </form>
  );
}

/** The address and message fields both forms share; labels tie to `${id}-address` and `${id}-message`. */
function AddressAndMessageFields(props: {
  id: string;
  address: string;
  message: string;
  onAddress: (value: string) => void;
  onMessage: (value: string) => void;
}) {
  const t = useT();
  const { id } = props;
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-address`}>{t('send.sign.address')}</label>
        <input
          id={`${id}-address`}
          className="mono"
          value={props.address}
          spellCheck={false}
          onChange={(e) => props.onAddress(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-message`}>{t('send.sign.message')}</label>
        <textarea
          id={`${id}-message`}
          rows={3}
          value={props.message}
          onChange={(e) => props.onMessage(e.target.value)}
        />
      </div>
    </>
  );
}

function VerifyMessage() {
  const t = useT();
  const flash = useFlash();
  const id = useId();
  const verify = useAction(flash.send.verifyMessage);
  const [address, setAddress] = useState('');
  const [message, setMessage] = useState('');
  const [signature, setSignature] = useState('');
  const [valid, setValid] = useState<boolean | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setValid(null);
    const result = await verify.run({ address: address.trim(), message, signature: signature.trim() });
    if (result) setValid(result.valid);
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('send.verify.title')}</h2>
      <AddressAndMessageFields
        id={id}
        address={address}
        message={message}
        onAddress={setAddress}
        onMessage={setMessage}
      />
      <div className="field">
        <label htmlFor={`${id}-signature`}>{t('send.sign.signature')}</label>
        <input
          id={`${id}-signature`}
          className="mono"
          value={signature}
          spellCheck={false}
          onChange={(e) => setSignature(e.target.value)}
        />
      </div>
      <SendErrorAlert error={verify.error} />
      <div className="actions">
        <button
          type="submit"
          className="button-primary"
          disabled={verify.busy || address.trim() === '' || signature.trim() === ''}
        >
          {t('send.verify.submit')}
        </button>
        <span role="status" className={valid === true ? 'ok-note' : valid === false ? 'hint hint-error' : ''}>
          {valid === true ? t('send.verify.valid') : valid === false ? t('send.verify.invalid') : ''}
        </span>
      </div>
    </form>
  );
}
