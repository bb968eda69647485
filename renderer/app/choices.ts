import type { Network } from '../../shared/contract/common';
import type { ElectrumServer } from '../../shared/contract/electrum';
import type { Language, Theme } from '../../shared/contract/settings';

/*
 * The contract's enum values as plain lists, so the renderer does not bundle zod (it only needs
 * the values). `covers` fails to compile if the contract gains a value these lists lack.
 */
type Covers<T, L extends readonly T[]> = [T] extends [L[number]] ? true : never;

export const LANGUAGES = ['en', 'es'] as const satisfies readonly Language[];
export const THEMES = ['system', 'light', 'dark'] as const satisfies readonly Theme[];
export const NETWORKS = ['mainnet', 'testnet', 'signet', 'regtest'] as const satisfies readonly Network[];

const covers: [
  Covers<Language, typeof LANGUAGES>,
  Covers<Theme, typeof THEMES>,
  Covers<Network, typeof NETWORKS>,
] = [true, true, true];
void covers;

export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** The same rules as the contract's ElectrumServer schema (main validates again). */
export function parseElectrumServer(input: {
  host: string;
  port: string;
  transport: string;
}): ElectrumServer | null {
  const host = input.host.trim();
  const portText = input.port.trim();
  if (host.length < 1 || host.length > 253 || !/^[A-Za-z0-9.\-:[\]]+$/.test(host)) return null;
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port < 1 || port > 65535) return null;
  if (input.transport !== 'tcp' && input.transport !== 'tls') return null;
  return { host, port, transport: input.transport };
}
