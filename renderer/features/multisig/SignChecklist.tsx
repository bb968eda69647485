import type { ReactNode } from 'react';
import { useCallback, useId, useState } from 'react';
import type { SendDraft } from '../../../shared/contract/send';
import type { SignatureProgress } from '../../../shared/contract/multisig';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { CopyButton } from '../../components/CopyButton';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import { AnimatedQr } from '../send/AnimatedQr';
import { SendErrorAlert } from '../send/SendErrorAlert';
import { DraftSummary } from '../send/DraftSummary';
import { rememberFeeRate } from '../send/send-text';
import { ScanButton } from '../scan/ScanButton';

/**
 * A multisig payment's review: every output (the wallet's own change is marked; everything else
 * is a recipient), then the signatures as a checklist — "1 of 2" — signed with this computer's
 * words, on a connected Ledger, or by an air-gapped signer through an exported PSBT whose answer
 * is imported here. Each signing answers a newer draft holding the signatures so far; at k the
 * payment can be sent.
 */
export function SignChecklist(props: {
  walletId: string;
  draft: SendDraft;
  onBack: () => void;
  onSent: (result: { txid: string; state: 'broadcast' | 'broadcasting' }) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const importId = useId();
  const [draft, setDraft] = useState(props.draft);
  const [answer, setAnswer] = useState('');
  const [showPsbt, setShowPsbt] = useState(false);
  const [urParts, setUrParts] = useState<string[] | null>(null);
  const [qrFormat, setQrFormat] = useState<'ur' | 'bbqr'>('ur');
  const [bbqr, setBbqr] = useState<{ parts: string[]; version: number } | null>(null);
  const exportUr = useAction(flash.send.exportPsbtUr);
  const exportBbqr = useAction(flash.multisig.exportPsbtBbqr);
  const vault = useQuery(
    useCallback(() => flash.multisig.getWallet({ walletId: props.walletId }), [flash, props.walletId]),
  );
  const [progress, setProgress] = useState<SignatureProgress | null>(null);
  const initial = useQuery(
    useCallback(
      () => flash.multisig.signingProgress({ draftId: props.draft.draftId }),
      [flash, props.draft.draftId],
    ),
  );
  const shown = progress ?? initial.value ?? null;
  const after = (r: { draft: SendDraft; progress: SignatureProgress }) => {
    setDraft(r.draft);
    setProgress(r.progress);
  };
  const signSeed = useAction(async (fingerprint: string) => {
    const r = await flash.multisig.signWithSeed({ draftId: draft.draftId, fingerprint });
    if (r.ok) after(r.value);
    return r;
  });
  const signDevice = useAction(async (fingerprint: string) => {
    const r = await flash.multisig.signWithDevice({ draftId: draft.draftId, fingerprint });
    if (r.ok) after(r.value);
    return r;
  });
  const addAnswer = useAction(async () => {
    const r = await flash.multisig.addSignatures({ draftId: draft.draftId, data: answer.trim() });
    if (r.ok) {
      after(r.value);
      setAnswer('');
    }
    return r;
  });
  const confirm = useAction(flash.send.confirm);
  const send = async () => {
    const result = await confirm.run({ draftId: draft.draftId });
    if (result) {
      rememberFeeRate(result.txid, draft.feeRate);
      props.onSent({ txid: result.txid, state: result.state });
    }
  };
  const v = vault.value;
  return (
    <section className="stack" aria-labelledby="sign-title">
      <h2 id="sign-title">{t('multisig.sign.title')}</h2>
      <DraftSummary draft={draft} detailed />
      {shown && (
        <p className="balance-line" aria-live="polite">
          <strong>{t('multisig.sign.progress', { have: shown.have, k: shown.threshold })}</strong>
        </p>
      )}
      {shown && <p className="hint">{t('multisig.sign.bumpNote', { k: shown.threshold })}</p>}
      <ul className="stack" aria-label={t('multisig.sign.title')}>
        {(shown?.cosigners ?? []).map((c) => {
          const registered = v?.ledgerRegistered.includes(c.fingerprint) ?? false;
          return (
            <li key={c.fingerprint} className="card stack" aria-label={c.label}>
              <div>
                <strong>{c.label}</strong> · {t(`multisig.kind.${c.kind}`)} ·{' '}
                <span className="mono">{c.fingerprint}</span>{' '}
                <span className={c.signed ? 'badge' : 'badge badge-pending'}>
                  {c.signed ? t('multisig.sign.signed') : t('multisig.sign.waiting')}
                </span>
              </div>
              {!c.signed && !shown?.complete && c.kind === 'seed' && (
                <button
                  type="button"
                  disabled={signSeed.busy}
                  onClick={() => void signSeed.run(c.fingerprint)}
                >
                  {t('multisig.sign.seed')}
                </button>
              )}
              {!c.signed && !shown?.complete && c.kind === 'ledger' && registered && (
                <button
                  type="button"
                  disabled={signDevice.busy}
                  onClick={() => void signDevice.run(c.fingerprint)}
                >
                  {t('multisig.sign.device', { vendor: 'Ledger' })}
                </button>
              )}
              {!c.signed && c.kind === 'ledger' && !registered && (
                <p className="hint">{t('multisig.sign.registerFirst')}</p>
              )}
              {!c.signed && !shown?.complete && c.kind === 'trezor' && (
                <button
                  type="button"
                  disabled={signDevice.busy}
                  onClick={() => void signDevice.run(c.fingerprint)}
                >
                  {t('multisig.sign.device', { vendor: 'Trezor' })}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <ErrorAlert error={signSeed.error ?? signDevice.error ?? initial.error ?? vault.error} />
      {!shown?.complete && (
        <div className="card stack">
          <p className="hint">{t('multisig.sign.airgap')}</p>
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setShowPsbt((s) => !s);
                void exportUr.run({ draftId: draft.draftId }).then((r) => setUrParts(r?.parts ?? null));
                void exportBbqr.run({ draftId: draft.draftId }).then((r) => setBbqr(r ?? null));
              }}
            >
              {t('multisig.sign.export')}
            </button>
            {showPsbt && <CopyButton text={draft.psbtBase64} label="PSBT" />}
          </div>
          {showPsbt && (
            <>
              <textarea readOnly rows={4} className="mono" value={draft.psbtBase64} aria-label="PSBT" />
              <a
                href={`data:application/octet-stream;base64,${btoa(draft.psbtBase64)}`}
                download={`payment-${draft.draftId.slice(0, 8)}.psbt`}
              >
                {t('multisig.sign.download')}
              </a>
              <fieldset className="actions">
                <legend>{t('multisig.sign.qrFormat')}</legend>
                <label>
                  <input
                    type="radio"
                    name={`${importId}-qr`}
                    checked={qrFormat === 'ur'}
                    onChange={() => setQrFormat('ur')}
                  />{' '}
                  {t('multisig.sign.qrUr')}
                </label>
                <label>
                  <input
                    type="radio"
                    name={`${importId}-qr`}
                    checked={qrFormat === 'bbqr'}
                    onChange={() => setQrFormat('bbqr')}
                  />{' '}
                  {t('multisig.sign.qrBbqr')}
                </label>
              </fieldset>
              {qrFormat === 'ur' && urParts && <AnimatedQr parts={urParts} alt={t('sendtools.qr.alt')} />}
              {qrFormat === 'bbqr' && bbqr && (
                <>
                  <AnimatedQr parts={bbqr.parts} version={bbqr.version} alt={t('multisig.sign.bbqrAlt')} />
                  <textarea
                    readOnly
                    rows={3}
                    className="mono"
                    value={bbqr.parts.join('\n')}
                    aria-label={t('multisig.sign.bbqrParts')}
                  />
                  <CopyButton text={bbqr.parts.join('\n')} label={t('multisig.sign.bbqrParts')} />
                </>
              )}
            </>
          )}
          <div className="field">
            <label htmlFor={importId}>{t('multisig.sign.import')}</label>
            <textarea
              id={importId}
              rows={4}
              className="mono"
              spellCheck={false}
              value={answer}
              onChange={(e) => setAnswer(e.target.value)}
            />
            <ScanButton onText={setAnswer} />
          </div>
          <div className="actions">
            <button
              type="button"
              disabled={addAnswer.busy || answer.trim() === ''}
              onClick={() => void addAnswer.run()}
            >
              {t('multisig.sign.importButton')}
            </button>
          </div>
          <SendErrorAlert error={addAnswer.error ?? exportUr.error ?? exportBbqr.error} />
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={props.onBack}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="button-primary"
          disabled={!shown?.complete || confirm.busy}
          onClick={() => void send()}
        >
          {t('multisig.sign.send')}
        </button>
      </div>
      <ErrorAlert error={confirm.error} />
    </section>
  );
}

/** The send flow's review step: a multisig wallet collects signatures; any other goes on as before. */
export function MultisigSendGate(props: {
  walletId: string;
  draft: SendDraft;
  onBack: () => void;
  onSent: (result: { txid: string; state: 'broadcast' | 'broadcasting' }) => void;
  children: ReactNode;
}) {
  const flash = useFlash();
  const wallets = useQuery(useCallback(() => flash.wallet.list({}), [flash]));
  if (wallets.value === undefined && wallets.loading) return null;
  const wallet = wallets.value?.find((w) => w.id === props.walletId);
  if (wallet?.accountType !== 'multisig') return <>{props.children}</>;
  return (
    <SignChecklist
      walletId={props.walletId}
      draft={props.draft}
      onBack={props.onBack}
      onSent={props.onSent}
    />
  );
}
