import type { EcashBalance, EcashMintView, EcashOperationView } from '../../shared/contract';
import type { MintRecord } from './mints';
import type { OpRow } from './store';

export function operationView(op: OpRow): EcashOperationView {
  return {
    id: op.id,
    kind: op.kind,
    state: op.state,
    final: op.final,
    mintUrl: op.mintUrl,
    unit: op.unit,
    amount: op.amount,
    fee: op.fee,
    request: op.request,
    counterparty: op.counterparty,
    parentId: op.parentId,
    memo: op.memo,
    error: op.error,
    createdAt: op.createdAt,
    updatedAt: op.updatedAt,
  };
}

export function mintView(m: MintRecord, balances: EcashBalance[]): EcashMintView {
  const info = m.info as unknown as Record<string, unknown>;
  const str = (k: string): string | null => (typeof info[k] === 'string' ? (info[k] as string) : null);
  const nuts = Object.keys((info['nuts'] as Record<string, unknown>) ?? {})
    .map(Number)
    .filter((n) => Number.isInteger(n))
    .sort((a, b) => a - b);
  const keysets = m.keychain.keysets.map((k) => ({
    id: k.id,
    unit: k.unit,
    active: k.active !== false,
    inputFeePpk: k.input_fee_ppk ?? 0,
  }));
  const units = [...new Set(keysets.filter((k) => k.active).map((k) => k.unit))];
  const contact = Array.isArray(info['contact'])
    ? (info['contact'] as unknown[]).flatMap((c) => {
        const x = c as { method?: unknown; info?: unknown };
        return typeof x.method === 'string' && typeof x.info === 'string'
          ? [{ method: x.method, info: x.info }]
          : [];
      })
    : [];
  return {
    url: m.url,
    name: str('name'),
    description: str('description'),
    descriptionLong: str('description_long'),
    motd: str('motd'),
    iconUrl: str('icon_url'),
    version: str('version'),
    contact,
    nuts,
    units,
    keysets,
    fees: units.map((unit) => ({
      unit,
      inputFeePpk: keysets.find((k) => k.unit === unit && k.active)?.inputFeePpk ?? 0,
    })),
    reachable: m.reachable,
    lastError: m.lastError,
    checkedAt: m.checkedAt,
    balances,
  };
}
