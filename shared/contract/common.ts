import { z } from 'zod';

export const NETWORKS = ['mainnet', 'testnet', 'signet', 'regtest'] as const;
export const Network = z.enum(NETWORKS);
export type Network = z.infer<typeof Network>;

/** Integer satoshis. Money is never a float. */
export const Sats = z.number().int().safe();

export const Empty = z.object({}).strict();
export const Void = z.object({ done: z.literal(true) });
export type Void = z.infer<typeof Void>;

export const Id = z.string().min(1).max(64);
export const Password = z.string().min(1).max(1024);
