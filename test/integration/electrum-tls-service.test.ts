import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createPinStore } from '../../main/bitcoin/electrum/pin-store';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import type { ElectrumService } from '../../main/bitcoin/electrum/types';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { RegtestChain } from '../stack/chain';
import type { ElectrumTestServer } from '../stack/electrum-server';
import { createElectrumServer } from '../stack/electrum-server';
import type { Pems } from '../support/tls-certs';
import { makeCa, makeLeaf, makeSelfSigned } from '../support/tls-certs';
import { until } from '../support/wait';

/**
 * The app's Electrum service over TLS, as Electrum trusts servers: a certificate valid under the
 * CAs is checked that way and never pinned (a renewal passes silently); only a self-signed one is
 * pinned on first use, and a change of it stops the connection until the user decides.
 */

const chain = new RegtestChain();
let dir: string;
let db: Db;
let server: ElectrumTestServer | null = null;
let service: ElectrumService | null = null;
let ca: Pems;

async function serve(cert: Pems, port = 0): Promise<number> {
  await server?.close();
  server = createElectrumServer({ chain });
  return (
    await server.listen({
      transport: 'tls',
      port,
      host: '127.0.0.1',
      tls: { key: cert.key, cert: cert.cert },
    })
  ).port;
}

function start(port: number): ElectrumService {
  service?.stop();
  service = createElectrumService({
    db,
    bus: createEventBus(),
    log: silentLogger,
    initialServer: { host: 'localhost', port, transport: 'tls' },
    trustedCa: [ca.cert],
    backoff: { baseMs: 50, maxMs: 200 },
  });
  service.start();
  return service;
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-tls-service-'));
  db = openDatabase(path.join(dir, 'flash.db'));
  ca ??= await makeCa();
});

afterEach(async () => {
  service?.stop();
  service = null;
  await server?.close();
  server = null;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Electrum service over TLS', () => {
  it('checks a CA-valid server against the CAs, pins nothing, and takes its renewed certificate', async () => {
    const port = await serve(await makeLeaf(ca, 'localhost'));
    const s = start(port);
    await until('connected', () => s.status().state === 'connected');
    const pins = createPinStore(db);
    expect(pins.trust(`localhost:${port}`)).toEqual({ kind: 'ca' });
    expect(pins.list()).toEqual([]);
    // A renewal: a new key and certificate from the same CA, on the same port.
    await serve(await makeLeaf(ca, 'localhost'), port);
    s.reconnect();
    await until('connected after renewal', () => s.status().state === 'connected');
    expect(s.status().warning ?? null).toBeNull();
    expect(pins.list()).toEqual([]);
  });

  it('refuses a once CA-valid server that now shows a self-signed certificate (no silent pin)', async () => {
    const port = await serve(await makeLeaf(ca, 'localhost'));
    const s = start(port);
    await until('connected', () => s.status().state === 'connected');
    await serve(await makeSelfSigned('localhost'), port);
    s.reconnect();
    await until('refused', () => s.status().lastError?.code === 'ELECTRUM_CERT_INVALID');
    expect(createPinStore(db).list()).toEqual([]);
  });

  it('pins a self-signed certificate on first use and stops when it changes', async () => {
    const first = await makeSelfSigned('localhost');
    const port = await serve(first);
    const s = start(port);
    await until('connected', () => s.status().state === 'connected');
    expect(createPinStore(db).get(`localhost:${port}`)).toBe(first.fingerprint);
    await serve(await makeSelfSigned('localhost'), port);
    s.reconnect();
    await until('certificate change', () => s.status().lastError?.code === 'ELECTRUM_CERT_CHANGED');
    expect(s.status().warning?.code).toBe('CERT_CHANGED');
  });
});
