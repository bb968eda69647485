import type { EcashOperationView } from '../../../shared/contract/ecash';
import type { MessageKey } from '../../i18n';
import { useI18n } from '../../i18n';
import { formatUnitAmount } from './format';

/** The journal's states that have words on screen (shared/contract/ecash.ts lists them per kind). */
const STATES = new Set([
  'unpaid',
  'paid',
  'issuing',
  'done',
  'expired',
  'failed',
  'melting',
  'swapping',
  'pending',
  'claimed',
  'reclaimed',
  'cancelled',
  'stored',
  'claiming',
  'quoting',
  'minting',
]);

/** "Paid" for a melt reads as done; everything else uses the shared state words. */
export function stateKey(op: Pick<EcashOperationView, 'kind' | 'state'>): MessageKey {
  if (op.kind === 'melt' && op.state === 'paid') return 'ecash.state.meltPaid';
  return STATES.has(op.state) ? (`ecash.state.${op.state}` as MessageKey) : 'ecash.state.unknown';
}

/** Badge tone: waiting, done, or did not happen (money back or never moved). */
export function stateTone(op: Pick<EcashOperationView, 'state' | 'final'>): string {
  if (!op.final) return 'badge badge-pending';
  return op.state === 'done' || op.state === 'paid' || op.state === 'claimed'
    ? 'badge badge-verified'
    : 'badge badge-failed';
}

/** One operation's outcome line, live: kind, amount, state, fee and the mint's error if any. */
export function OperationState({ op }: { op: EcashOperationView }) {
  const { t, separators } = useI18n();
  const fmt = (n: number) => formatUnitAmount(n, op.unit, separators, (value) => t('amount.sats', { value }));
  return (
    <div className="stack ecash-result" role="status" data-testid="ecash-op-state">
      <p>
        <strong>{t(`ecash.kind.${op.kind}`)}</strong> · {fmt(op.amount)}{' '}
        <span className={stateTone(op)}>{t(stateKey(op))}</span>
        {op.fee > 0 && <> · {t('ecash.fee', { amount: fmt(op.fee) })}</>}
      </p>
      {op.error && <p className="hint hint-error">{op.error}</p>}
    </div>
  );
}
