/**
 * What we learned about one server's appetite for batches, kept across its connections (the
 * service holds one per `host:port`). The batch size grows while batches succeed and shrinks on
 * timeouts and refusals; a server that refuses batches outright is sent single requests.
 */
export interface BatchPolicy {
  initial: number;
  min: number;
  max: number;
  /** Single requests kept in flight at once when batches are off. */
  singleConcurrency: number;
}

export const DEFAULT_BATCH_POLICY: BatchPolicy = { initial: 100, min: 5, max: 1_000, singleConcurrency: 8 };

export interface ServerProfile {
  readonly policy: BatchPolicy;
  /** Requests per batch frame right now. */
  batchSize: number;
  /** False once the server refused batches (or closed the connection on one, twice). */
  batchSupported: boolean;
  /** Connections lost while a batch was in flight, in a row. */
  batchCloses: number;
  grow(): void;
  shrink(): void;
}

export function createServerProfile(policy: Partial<BatchPolicy> = {}): ServerProfile {
  const p: BatchPolicy = { ...DEFAULT_BATCH_POLICY, ...policy };
  const clamp = (n: number): number => Math.max(p.min, Math.min(p.max, Math.round(n)));
  return {
    policy: p,
    batchSize: clamp(p.initial),
    batchSupported: true,
    batchCloses: 0,
    grow() {
      this.batchCloses = 0;
      this.batchSize = clamp(this.batchSize * 2);
    },
    shrink() {
      this.batchSize = clamp(this.batchSize / 4);
    },
  };
}

const UNSUPPORTED = /batch(es|ing)?( requests?)? (are |is )?(not (supported|allowed)|unsupported|disabled)/i;
const TOO_LARGE =
  /batch.*too (large|big|long|many)|too many (requests|items) in (a |the )?batch|batch (size|limit)/i;
const RATE_LIMITED = /rate.?limit|too many requests|excessive resource usage|slow down|throttl/i;

export type BatchRefusal = 'unsupported' | 'too-large' | 'rate-limited';

/** How a server said no to a batch, from its error text; null when the error is an ordinary one. */
export function classifyBatchRefusal(message: string): BatchRefusal | null {
  if (UNSUPPORTED.test(message)) return 'unsupported';
  if (TOO_LARGE.test(message)) return 'too-large';
  if (RATE_LIMITED.test(message)) return 'rate-limited';
  return null;
}
