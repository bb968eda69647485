import { X509Certificate } from 'node:crypto';
import { FlashError } from '../../../shared/errors';

/**
 * What connecting to an LND node takes: where its REST listener is, its own TLS certificate
 * (pinned: the system's certificate authorities are never asked), and a macaroon. Entered as
 * three fields or as one `lndconnect://host:port?cert=…&macaroon=…` URI (base64url DER and
 * macaroon bytes, as Zeus and lndconnect write it).
 */

export interface LndConnection {
  host: string;
  port: number;
  /** PEM of the node's tls.cert. */
  certPem: string;
  macaroon: Uint8Array;
}

export const DEFAULT_REST_PORT = 8080;

function bad(reason: string, message: string): FlashError {
  return new FlashError('LIGHTNING_BAD_CONNECTION', message, { reason });
}

/** host:port, [v6]:port, or a bare host (port 8080). */
export function parseRestAddress(text: string): { host: string; port: number } {
  const t = text
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(t) ?? /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(t);
  if (!m || !m[1])
    throw bad('address', 'The node address must be host:port, e.g. 192.168.1.10:8080 or mynode.onion:8080.');
  const port = m[2] === undefined ? DEFAULT_REST_PORT : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('port', 'The port must be 1 to 65535.');
  return { host: m[1].toLowerCase(), port };
}

/** The certificate's PEM, after checking that it is one certificate Node can read. */
export function parseCertPem(text: string): string {
  const pem = text.trim();
  if (!/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(pem))
    throw bad(
      'cert',
      'The TLS certificate must be the text of tls.cert, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
    );
  try {
    new X509Certificate(pem);
  } catch {
    throw bad('cert', 'The TLS certificate text is damaged.');
  }
  return pem;
}

/** A macaroon as hex (`xxd -p`, lncli) or base64; checked to be a v2 binary macaroon. */
export function parseMacaroon(text: string): Uint8Array {
  const t = text.trim().replace(/\s+/g, '');
  let bytes: Uint8Array;
  if (/^([0-9a-fA-F]{2})+$/.test(t)) bytes = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]+=*$/.test(t))
    bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  else
    throw bad(
      'macaroon',
      'The macaroon must be hex or base64 (the content of admin.macaroon or invoice.macaroon).',
    );
  if (bytes.length < 20 || bytes[0] !== 2)
    throw bad('macaroon', 'That is not an LND macaroon (version 2, binary).');
  return bytes;
}

/** `lndconnect://host:port?cert=<base64url DER>&macaroon=<base64url>`. */
export function parseLndconnect(uri: string): LndConnection {
  const m = /^lndconnect:\/\/([^?]+)\?(.*)$/i.exec(uri.trim());
  if (!m) throw bad('lndconnect', 'An lndconnect link starts with lndconnect://host:port?');
  const { host, port } = parseRestAddress(m[1] ?? '');
  const params = new URLSearchParams(m[2] ?? '');
  const cert = params.get('cert');
  const mac = params.get('macaroon');
  if (!mac) throw bad('lndconnect', 'The lndconnect link has no macaroon.');
  if (!cert)
    throw bad(
      'lndconnect-cert',
      'The lndconnect link has no certificate. Flash pins the node’s own tls.cert: export the link with the certificate included.',
    );
  const der = Buffer.from(cert.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  return {
    host,
    port,
    certPem: parseCertPem(`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`),
    macaroon: parseMacaroon(mac),
  };
}
