import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElectrumServer } from '../../shared/contract';
import { isFlashError } from '../../shared/errors';
import type { PinStore } from '../../main/bitcoin/electrum/pin-store';
import { createPinStore } from '../../main/bitcoin/electrum/pin-store';
import type { OpenSocketOptions } from '../../main/bitcoin/electrum/socket';
import { openSocket, serverKey } from '../../main/bitcoin/electrum/socket';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import type { Socks5Server } from '../stack/socks5';
import { startSocks5Server } from '../stack/socks5';
import type { Pems } from '../support/tls-certs';
import { makeCa, makeLeaf, makeSelfSigned } from '../support/tls-certs';

let dir: string;
let db: Db;
let pins: PinStore;
let ca: Pems;
let otherCa: Pems;
let server: tls.Server;
let port: number;
let socks: Socks5Server;

/** The test server shows `cert` from its next handshake on (a renewal, or an attack). */
function serve(cert: Pems): void {
  server.setSecureContext({ key: cert.key, cert: cert.cert });
}

const target = (): ElectrumServer => ({ host: 'localhost', port, transport: 'tls' });
const key = (): string => serverKey(target());

/** Connects as the Electrum service does: what the store knows, then remember a first use. */
async function connect(extra: Partial<OpenSocketOptions> = {}) {
  const opened = await openSocket(target(), {
    timeoutMs: 5_000,
    trust: pins.trust(key()),
    trustedCa: [ca.cert],
    ...extra,
  });
  opened.socket.destroy();
  pins.rememberFirstUse(key(), opened.certificateTrust, opened.certificateFingerprint, Date.now());
  return opened;
}

async function refusal(extra: Partial<OpenSocketOptions> = {}): Promise<{ code: string; message: string }> {
  try {
    await connect(extra);
  } catch (err) {
    if (isFlashError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('the connection was accepted');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-tls-trust-'));
  db = openDatabase(path.join(dir, 'flash.db'));
  pins = createPinStore(db);
  [ca, otherCa] = await Promise.all([makeCa(), makeCa()]);
  const first = await makeLeaf(ca, 'localhost');
  server = tls.createServer({ key: first.key, cert: first.cert }, (s) => s.end());
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  socks = await startSocks5Server();
});

afterAll(async () => {
  await socks.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a server whose certificate is valid for its name under the trusted CAs', () => {
  it('is checked against the CAs, and no pin is stored', async () => {
    pins.remove(key());
    serve(await makeLeaf(ca, 'localhost'));
    const opened = await connect();
    expect(opened.certificateTrust).toBe('ca');
    expect(pins.trust(key())).toEqual({ kind: 'ca' });
    expect(pins.get(key())).toBeNull();
    expect(pins.list()).toEqual([]);
  });

  it('keeps working through a renewal (new key, same CA) without any change to what is stored', async () => {
    pins.remove(key());
    serve(await makeLeaf(ca, 'localhost'));
    await connect();
    const before = db.prepare('SELECT * FROM electrum_cert_pins').all();
    const renewed = await makeLeaf(ca, 'localhost');
    serve(renewed);
    const opened = await connect();
    expect(opened.certificateTrust).toBe('ca');
    expect(opened.certificateFingerprint).toBe(renewed.fingerprint);
    expect(db.prepare('SELECT * FROM electrum_cert_pins').all()).toEqual(before);
  });

  it('is verified through a SOCKS5 tunnel against the server’s own name', async () => {
    pins.remove(key());
    serve(await makeLeaf(ca, 'localhost'));
    const proxy = { host: socks.host, port: socks.port };
    expect((await connect({ proxy })).certificateTrust).toBe('ca');
    expect((await connect({ proxy })).certificateTrust).toBe('ca');
    expect(socks.targets).toContain(`localhost:${port}`);
  });

  it('never falls back to trust on first use: a self-signed certificate later is refused', async () => {
    pins.remove(key());
    serve(await makeLeaf(ca, 'localhost'));
    await connect();
    serve(await makeSelfSigned('localhost'));
    const refused = await refusal();
    expect(refused.code).toBe('ELECTRUM_CERT_INVALID');
    expect(refused.message).toMatch(/signed by a certificate authority before/);
    // Still known as CA-valid, and nothing pinned: the next attempt is refused the same way.
    expect(pins.trust(key())).toEqual({ kind: 'ca' });
    expect((await refusal()).code).toBe('ELECTRUM_CERT_INVALID');
  });

  it('refuses a CA-signed certificate for another name, or from a CA not trusted', async () => {
    pins.remove(key());
    serve(await makeLeaf(ca, 'localhost'));
    await connect();
    serve(await makeLeaf(ca, 'electrum.example'));
    expect(await refusal()).toMatchObject({
      code: 'ELECTRUM_CERT_INVALID',
      message: expect.stringMatching(/ERR_TLS_CERT_ALTNAME_INVALID/),
    });
    serve(await makeLeaf(otherCa, 'localhost'));
    expect((await refusal()).code).toBe('ELECTRUM_CERT_INVALID');
    serve(await makeLeaf(ca, 'localhost'));
    expect((await connect()).certificateTrust).toBe('ca');
  });
});

describe('a server with a self-signed certificate', () => {
  it('is pinned on first use, accepted while it shows the same one, refused when it changes', async () => {
    pins.remove(key());
    const own = await makeSelfSigned('localhost');
    serve(own);
    const first = await connect();
    expect(first.certificateTrust).toBe('first-use');
    expect(pins.get(key())).toBe(own.fingerprint);
    expect(pins.trust(key())).toEqual({ kind: 'pinned', fingerprint: own.fingerprint });

    expect((await connect()).certificateTrust).toBe('pinned');

    const changed = await makeSelfSigned('localhost');
    serve(changed);
    try {
      await connect();
      expect.unreachable('a changed certificate was accepted');
    } catch (err) {
      expect(isFlashError(err) && err.code).toBe('ELECTRUM_CERT_CHANGED');
      expect(isFlashError(err) && err.details).toMatchObject({
        pinned: own.fingerprint,
        offered: changed.fingerprint,
      });
    }
    expect(pins.get(key())).toBe(own.fingerprint);
  });

  it('a CA-signed certificate for another name is not CA-valid: it is pinned like a self-signed one', async () => {
    pins.remove(key());
    const misnamed = await makeLeaf(ca, 'electrum.example');
    serve(misnamed);
    expect((await connect()).certificateTrust).toBe('first-use');
    expect(pins.get(key())).toBe(misnamed.fingerprint);
  });
});
