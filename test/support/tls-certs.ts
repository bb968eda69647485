import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { normalizeFingerprint } from '../../main/bitcoin/electrum/socket';

/** Certificates made in a test, never the real system store. */

/** A key and certificate in PEM, with the SHA-256 fingerprint a client computes. */
export interface Pems {
  key: string;
  cert: string;
  fingerprint: string;
}

const EC = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;
const inAYear = () => new Date(Date.now() + 365 * 24 * 3600 * 1000);
const pems = (p: { private: string; cert: string }): Pems => ({
  key: p.private,
  cert: p.cert,
  fingerprint: normalizeFingerprint(new X509Certificate(p.cert).fingerprint256),
});

/** A certificate authority made for this test only: it is the whole trusted CA list. */
export async function makeCa(): Promise<Pems> {
  return pems(
    await generate([{ name: 'commonName', value: 'Flash test CA' }], {
      ...EC,
      notAfterDate: inAYear(),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    }),
  );
}

/** A server certificate for `host`, signed by `ca` (each call: a new key, as at a renewal). */
export async function makeLeaf(ca: Pems, host: string): Promise<Pems> {
  return pems(
    await generate([{ name: 'commonName', value: host }], {
      ...EC,
      notAfterDate: inAYear(),
      ca: { key: ca.key, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
      ],
    }),
  );
}

/** A self-signed certificate for `host`, as most Electrum servers have. */
export async function makeSelfSigned(host: string): Promise<Pems> {
  return pems(
    await generate([{ name: 'commonName', value: host }], {
      ...EC,
      notAfterDate: inAYear(),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: host }] }],
    }),
  );
}
