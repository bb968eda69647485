import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { EcashMintView, EcashOperationView, EcashTokenView } from '../../../shared/contract/ecash';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Field, SelectField } from '../../components/Field';
import { QrCode } from '../../components/QrCode';
import { ScanButton } from '../scan/ScanButton';
import { useI18n } from '../../i18n';
import { OperationState } from './OperationState';
import { formatUnitAmount, parseUnitAmount, shortMintUrl } from './format';
import { useLiveOperation } from './use-ecash';

/** Receive: claim a token someone gave you, or mint new eCash by paying a Lightning invoice. */
export function ReceivePanel({ mints }: { mints: EcashMintView[] }) {
  return (
    <div className="stack">
      <ReceiveToken />
      <MintFromLightning mints={mints} />
      <LockKey />
    </div>
  );
}

/**
 * Paste a token (cashuA/cashuB, or a cashu: link): main checks it offline first (amount, mint,
 * DLEQ, lock), then "Claim" swaps it at the mint. Offline, it is kept as "received, not yet
 * claimed" and claimed by itself when the mint answers again.
 */
function ReceiveToken() {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const [text, setText] = useState('');
  const [view, setView] = useState<EcashTokenView | null>(null);
  const [op, setOp] = useState<EcashOperationView | null>(null);
  useLiveOperation(op, setOp);
  const decode = useAction(useCallback((token: string) => flash.ecash.decodeToken({ token }), [flash]));
  // A token from a mint not in the list: the user trusts the mint first (it holds the money), then claims.
  const receive = useAction(
    useCallback(
      async (token: string, addMint: string | null) => {
        if (addMint) {
          const added = await flash.ecash.addMint({ url: addMint });
          if (!added.ok) return added;
        }
        return flash.ecash.receive({ token });
      },
      [flash],
    ),
  );
  const token = text.trim().replace(/^cashu:/i, '');
  const onCheck = async (e: FormEvent) => {
    e.preventDefault();
    setOp(null);
    receive.clearError();
    const out = await decode.run(token);
    setView(out ?? null);
  };
  const onClaim = async () => {
    const out = await receive.run(token, view && !view.knownMint ? view.mintUrl : null);
    if (out) {
      setOp(out);
      setView(null);
      setText('');
    }
  };
  const fmt = (n: number, unit: string) =>
    formatUnitAmount(n, unit, separators, (value) => t('amount.sats', { value }));
  return (
    <section className="card stack" aria-labelledby="ecash-receive-token-title">
      <h2 id="ecash-receive-token-title">{t('ecash.receive.tokenTitle')}</h2>
      <form className="stack" onSubmit={onCheck}>
        <div className="field">
          <label htmlFor="ecash-token-input">{t('ecash.receive.tokenLabel')}</label>
          <textarea
            id="ecash-token-input"
            rows={4}
            value={text}
            spellCheck={false}
            onChange={(e) => {
              setText(e.target.value);
              setView(null);
            }}
          />
          <p className="hint">{t('ecash.receive.tokenHint')}</p>
          <ScanButton
            onText={(scanned) => {
              setText(scanned);
              setView(null);
            }}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={decode.busy || token === ''}>
            {t('ecash.receive.check')}
          </button>
        </div>
      </form>
      <ErrorAlert error={decode.error} />
      {view && (
        <div className="stack" role="region" aria-label={t('ecash.receive.tokenLabelChecked')}>
          <dl className="facts">
            <div>
              <dt>{t('ecash.receive.amount')}</dt>
              <dd>
                <strong>{fmt(view.amount, view.unit)}</strong>
              </dd>
            </div>
            <div>
              <dt>{t('ecash.receive.mint')}</dt>
              <dd>{view.mintName ?? shortMintUrl(view.mintUrl)}</dd>
            </div>
            {view.memo && (
              <div>
                <dt>{t('ecash.receive.memo')}</dt>
                <dd>{view.memo}</dd>
              </div>
            )}
            <div>
              <dt>{t('ecash.receive.dleq')}</dt>
              <dd>{t(`ecash.dleq.${view.dleq}`)}</dd>
            </div>
            <div>
              <dt>{t('ecash.receive.lock')}</dt>
              <dd>{t(`ecash.lock.${view.lock}`)}</dd>
            </div>
          </dl>
          {!view.knownMint && <Alert tone="warning">{t('ecash.receive.unknownMint')}</Alert>}
          {view.dleq === 'invalid' ? (
            <Alert>{t('error.ECASH_DLEQ_INVALID')}</Alert>
          ) : view.lock === 'other' ? (
            <Alert>{t('error.ECASH_LOCKED_TO_OTHER')}</Alert>
          ) : (
            <div className="actions">
              <button type="button" className="button-primary" onClick={onClaim} disabled={receive.busy}>
                {receive.busy
                  ? t('ecash.receive.claiming')
                  : view.knownMint
                    ? t('ecash.receive.claim')
                    : t('ecash.receive.trustAndClaim', { mint: view.mintName ?? shortMintUrl(view.mintUrl) })}
              </button>
            </div>
          )}
        </div>
      )}
      <ErrorAlert error={receive.error} />
      {op && (
        <>
          <OperationState op={op} />
          {/* The call came back without a claim: the mint did not answer; main claims it when it does. */}
          {!op.final && <p className="hint">{t('ecash.receive.storedHint')}</p>}
        </>
      )}
    </section>
  );
}

/**
 * Mint: the mint quotes an invoice; it is shown as a QR for any payer, or paid here with the
 * default Lightning wallet. main hears of the payment (NUT-17, or polling) and mints by itself.
 */
function MintFromLightning({ mints }: { mints: EcashMintView[] }) {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const [mintUrl, setMintUrl] = useState('');
  const [unit, setUnit] = useState('sat');
  const [amountText, setAmountText] = useState('');
  const [op, setOp] = useState<EcashOperationView | null>(null);
  useLiveOperation(op, setOp);
  const chosen = mints.find((m) => m.url === mintUrl) ?? mints[0];
  const units = chosen?.units.length ? chosen.units : ['sat'];
  const activeUnit = units.includes(unit) ? unit : (units[0] ?? 'sat');
  const quote = useAction(
    useCallback(
      (url: string, u: string, amount: number) => flash.ecash.mintQuote({ mintUrl: url, unit: u, amount }),
      [flash],
    ),
  );
  const pay = useAction(useCallback((id: string) => flash.ecash.payMintQuote({ operationId: id }), [flash]));
  const check = useAction(
    useCallback((id: string) => flash.ecash.checkMintQuote({ operationId: id }), [flash]),
  );
  const amount = parseUnitAmount(amountText, activeUnit);
  const onQuote = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || amount === null) return;
    const out = await quote.run(chosen.url, activeUnit, amount);
    if (out) setOp(out);
  };
  const fmt = (n: number, u: string) =>
    formatUnitAmount(n, u, separators, (value) => t('amount.sats', { value }));
  return (
    <section className="card stack" aria-labelledby="ecash-mint-title">
      <h2 id="ecash-mint-title">{t('ecash.mintLn.title')}</h2>
      {mints.length === 0 ? (
        <p className="hint">{t('ecash.needMint')}</p>
      ) : !op ? (
        <form className="stack" onSubmit={onQuote}>
          <div className="field-row">
            <SelectField
              label={t('ecash.mintField')}
              value={chosen?.url ?? ''}
              onChange={(e) => setMintUrl(e.target.value)}
              options={mints.map((m) => ({ value: m.url, label: m.name ?? shortMintUrl(m.url) }))}
            />
            <SelectField
              label={t('ecash.unitField')}
              value={activeUnit}
              onChange={(e) => setUnit(e.target.value)}
              options={units.map((u) => ({ value: u, label: u }))}
            />
          </div>
          <Field
            label={t('ecash.amountIn', { unit: activeUnit })}
            inputMode="decimal"
            value={amountText}
            onChange={(e) => setAmountText(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="button-primary" disabled={quote.busy || amount === null}>
              {t('ecash.mintLn.create')}
            </button>
          </div>
        </form>
      ) : (
        <div className="stack">
          <OperationState op={op} />
          {op.state === 'unpaid' && op.request && (
            <div className="receive">
              <QrCode value={`lightning:${op.request.toUpperCase()}`} alt={t('ecash.mintLn.qr')} />
              <div className="receive-details">
                <p>{t('ecash.mintLn.payThis', { amount: fmt(op.amount, op.unit) })}</p>
                <p className="address mono" data-testid="ecash-mint-invoice">
                  {op.request}
                </p>
                <div className="actions">
                  <CopyButton text={op.request} label={t('ecash.mintLn.copy')} />
                  <button
                    type="button"
                    onClick={() => void pay.run(op.id).then((o) => o && setOp(o))}
                    disabled={pay.busy}
                  >
                    {pay.busy ? t('ecash.mintLn.paying') : t('ecash.mintLn.payHere')}
                  </button>
                  <button
                    type="button"
                    onClick={() => void check.run(op.id).then((o) => o && setOp(o))}
                    disabled={check.busy}
                  >
                    {t('ecash.mintLn.check')}
                  </button>
                </div>
                <p className="hint">{t('ecash.mintLn.waiting')}</p>
              </div>
            </div>
          )}
          {op.final && (
            <div className="actions">
              <button
                type="button"
                onClick={() => {
                  setOp(null);
                  setAmountText('');
                }}
              >
                {t('ecash.mintLn.again')}
              </button>
            </div>
          )}
        </div>
      )}
      <ErrorAlert error={quote.error ?? pay.error ?? check.error} />
    </section>
  );
}

/** The public key others lock tokens to for us (NUT-11); only this wallet can claim such a token. */
function LockKey() {
  const { t } = useI18n();
  const flash = useFlash();
  const key = useQuery(useCallback(() => flash.ecash.p2pkKey(), [flash]));
  return (
    <section className="card stack" aria-labelledby="ecash-lock-key-title">
      <h2 id="ecash-lock-key-title">{t('ecash.lockKey.title')}</h2>
      <p className="hint">{t('ecash.lockKey.text')}</p>
      {key.value && (
        <>
          <p className="address mono" data-testid="ecash-lock-key">
            {key.value.pubkey}
          </p>
          <div className="actions">
            <CopyButton text={key.value.pubkey} label={t('ecash.lockKey.copy')} />
          </div>
        </>
      )}
      <ErrorAlert error={key.error} />
    </section>
  );
}
