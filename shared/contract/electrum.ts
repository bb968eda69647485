import { z } from 'zod';
import { Empty } from './common';

export const ElectrumServer = z
  .object({
    host: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'host name or IP address'),
    port: z.number().int().min(1).max(65535),
    transport: z.enum(['tcp', 'tls']),
  })
  .strict();
export type ElectrumServer = z.infer<typeof ElectrumServer>;

/** A SOCKS5 proxy every Electrum connection goes through, e.g. Tor at 127.0.0.1:9050. */
export const Socks5ProxySetting = z
  .object({
    host: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'host name or IP address'),
    port: z.number().int().min(1).max(65535),
  })
  .strict();
export type Socks5ProxySetting = z.infer<typeof Socks5ProxySetting>;

/** Fallback servers per network: tried in order when the primary fails. */
export const MAX_FALLBACK_SERVERS = 10;

/** What a server says of itself in `server.version` and `server.features`. */
export const ElectrumServerFeatures = z.object({
  /** `server_version`, e.g. "Fulcrum 2.1.1". */
  software: z.string().nullable(),
  protocolMin: z.string().nullable(),
  protocolMax: z.string().nullable(),
  /** Pruning limit in blocks; null when it keeps everything. */
  pruning: z.number().int().nullable(),
  /** Advertises `blockchain.transaction.broadcast_package` (Fulcrum says so; others may not). */
  broadcastPackage: z.boolean().nullable(),
});
export type ElectrumServerFeatures = z.infer<typeof ElectrumServerFeatures>;

export const ElectrumStatus = z.object({
  state: z.enum(['idle', 'connecting', 'connected', 'backoff']),
  server: ElectrumServer,
  tipHeight: z.number().int().nullable(),
  serverVersion: z.string().nullable(),
  /** The Electrum protocol version agreed in server.version, e.g. "1.6" or "1.4.2". Absent on old events. */
  protocolVersion: z.string().nullable().optional(),
  /** From server.features once connected; null when the server did not say. Absent on old events. */
  features: ElectrumServerFeatures.nullable().optional(),
  /** Why the last attempt failed, while reconnecting. */
  lastError: z
    .object({
      code: z.enum([
        'ELECTRUM_UNREACHABLE',
        'ELECTRUM_TIMEOUT',
        'ELECTRUM_PROTOCOL',
        'ELECTRUM_CERT_CHANGED',
        'ELECTRUM_WRONG_NETWORK',
        'ELECTRUM_CERT_INVALID',
      ]),
      message: z.string(),
    })
    .nullable(),
  nextRetryAt: z.number().int().nullable(),
  attempt: z.number().int().min(0),
  /** SHA-256 of the server's TLS certificate, pinned on first use. */
  certificateFingerprint: z.string().nullable(),
  /**
   * Something the user should know while the connection may still work: the tip disagrees with a
   * second server, a server was dropped for lying, or a certificate changed. Absent on old events.
   */
  warning: z
    .object({
      code: z.enum(['TIP_MISMATCH', 'SERVER_MARKED_BAD', 'CERT_CHANGED']),
      message: z.string(),
    })
    .nullable()
    .optional(),
});
export type ElectrumStatus = z.infer<typeof ElectrumStatus>;

export const electrumMethods = {
  'electrum.getStatus': { input: Empty, output: ElectrumStatus },
  'electrum.reconnect': { input: Empty, output: ElectrumStatus },
  /** After a certificate change the user may accept the new one explicitly. */
  'electrum.trustNewCertificate': { input: Empty, output: ElectrumStatus },
} as const;
