import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FlashError } from '../../shared/errors';
import { parseLndconnect, parseMacaroon, parseRestAddress } from '../../main/lightning/lnd/connection';
import { macaroonPermissions } from '../../main/lightning/lnd/permissions';
import { bakeMacaroon, MACAROON_PERMISSIONS, verifyMacaroon } from '../stack/lightning/macaroon';
import { generateTlsCredentials } from '../stack/tls';

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof FlashError ? err.code : 'UNTYPED';
  }
}

describe('LND connection details', () => {
  it('reads host:port forms, IPv6 and onion included, 8080 by default', () => {
    expect(parseRestAddress('192.168.1.10:8080')).toEqual({ host: '192.168.1.10', port: 8080 });
    expect(parseRestAddress('https://MyNode.local:10009/')).toEqual({ host: 'mynode.local', port: 10009 });
    expect(parseRestAddress('[fd00::1]:8080')).toEqual({ host: 'fd00::1', port: 8080 });
    expect(parseRestAddress('abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion')).toMatchObject({
      port: 8080,
    });
    expect(code(() => parseRestAddress('host:99999'))).toBe('LIGHTNING_BAD_CONNECTION');
    expect(code(() => parseRestAddress('ho st'))).toBe('LIGHTNING_BAD_CONNECTION');
  });

  it('reads an lndconnect URI: base64url DER certificate and macaroon', async () => {
    const tls = await generateTlsCredentials();
    const mac = bakeMacaroon(randomBytes(32), MACAROON_PERMISSIONS.admin);
    const der = Buffer.from(tls.cert.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64url');
    const c = parseLndconnect(
      `lndconnect://10.0.0.2:8080?cert=${der}&macaroon=${Buffer.from(mac, 'hex').toString('base64url')}`,
    );
    expect(c.host).toBe('10.0.0.2');
    expect(Buffer.from(c.macaroon).toString('hex')).toBe(mac);
    expect(c.certPem.replace(/\s/g, '')).toBe(tls.cert.replace(/\s/g, ''));
    expect(code(() => parseLndconnect('lndconnect://10.0.0.2:8080?macaroon=AgEDbG5k'))).toBe(
      'LIGHTNING_BAD_CONNECTION',
    );
    expect(code(() => parseLndconnect('https://x'))).toBe('LIGHTNING_BAD_CONNECTION');
  });

  it('reads what a macaroon allows, hex or base64; refuses what is not a macaroon', () => {
    const root = randomBytes(32);
    for (const [kind, expected] of [
      ['admin', ['offchain:write', 'invoices:write', 'info:read']],
      ['invoice', ['invoices:write', 'invoices:read', 'address:write', 'onchain:read']],
      ['readonly', ['offchain:read', 'info:read', 'invoices:read']],
    ] as const) {
      const hex = bakeMacaroon(root, MACAROON_PERMISSIONS[kind]);
      const perms = macaroonPermissions(parseMacaroon(hex));
      for (const p of expected) expect(perms.has(p), `${kind} ${p}`).toBe(true);
      expect(macaroonPermissions(parseMacaroon(Buffer.from(hex, 'hex').toString('base64'))).size).toBe(
        perms.size,
      );
      expect(verifyMacaroon(root, Buffer.from(hex, 'hex'))).not.toBeNull();
      expect(verifyMacaroon(randomBytes(32), Buffer.from(hex, 'hex'))).toBeNull();
    }
    expect(
      macaroonPermissions(parseMacaroon(bakeMacaroon(root, MACAROON_PERMISSIONS.readonly))).has(
        'offchain:write',
      ),
    ).toBe(false);
    expect(code(() => parseMacaroon('zz not a macaroon'))).toBe('LIGHTNING_BAD_CONNECTION');
    expect(code(() => parseMacaroon('0301020304050607080910111213141516171819'))).toBe(
      'LIGHTNING_BAD_CONNECTION',
    );
  });
});
