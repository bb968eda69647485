import type { ElectrumClient, JsonValue } from './types';

export type Settled = { ok: true; value: JsonValue } | { ok: false; error: unknown };

/**
 * Each call's own outcome, in one batch when every call succeeds. A batch fails as a whole on
 * any error reply (or the server refuses batches), so then the calls go again one by one. Used
 * wherever one failed call must not hide the answers to the others (an unknown method on this
 * server, a transaction it does not have).
 */
export async function settledBatch(
  client: ElectrumClient,
  calls: { method: string; params: JsonValue[] }[],
): Promise<Settled[]> {
  if (calls.length === 0) return [];
  try {
    return (await client.batch(calls)).map((value) => ({ ok: true, value }));
  } catch {
    if (!client.isOpen) return calls.map(() => ({ ok: false, error: new Error('connection closed') }));
    return Promise.all(
      calls.map((c) =>
        client.request(c.method, c.params).then(
          (value): Settled => ({ ok: true, value }),
          (error: unknown): Settled => ({ ok: false, error }),
        ),
      ),
    );
  }
}
