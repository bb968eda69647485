import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

export interface TlsCredentials {
  key: string;
  cert: string;
  /** SHA-256 of the certificate, `AB:CD:...`, as a client computes it. */
  fingerprint256: string;
}

/** A fresh self-signed certificate for 127.0.0.1 (EC P-256: generated in milliseconds). */
export async function generateTlsCredentials(commonName = '127.0.0.1'): Promise<TlsCredentials> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
  });
  return {
    key: pems.private,
    cert: pems.cert,
    fingerprint256: new X509Certificate(pems.cert).fingerprint256,
  };
}
