import { BridgeCallError } from '../../app/result';

/**
 * The two cosigner numbers main names when a vault would hold one key twice (for instance two
 * devices set up with the same recovery words), so the form can say which rows to change.
 */
export function duplicateCosigners(err: unknown): { first: string; second: string } | null {
  if (!(err instanceof BridgeCallError) || err.code !== 'MULTISIG_INVALID') return null;
  const { reason, first, second } = err.details;
  if (reason !== 'duplicate_key' || first == null || second == null) return null;
  return { first: String(first), second: String(second) };
}
