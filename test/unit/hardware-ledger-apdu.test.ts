import { openTransportReplayer, RecordStore } from '@ledgerhq/hw-transport-mocker';
import { describe, expect, it } from 'vitest';
import { createLedgerSigner } from '../../main/hardware/ledger/adapter';
import type { BtcTransport } from '../../main/hardware/ledger/driver';
import { sessionFromTransport } from '../../main/hardware/ledger/driver';
import {
  appAndVersion,
  DASHBOARD,
  MASTER_FINGERPRINT,
  TPUB_84_1_0,
  XPUB_84_1_0,
} from '../fixtures/hardware/ledger-apdu';
import { testRoot } from '../fixtures/hardware/psbt';

async function replay(script: string) {
  const store = RecordStore.fromString(script);
  const transport = (await openTransportReplayer(store)) as unknown as BtcTransport;
  const session = await sessionFromTransport(transport, 'regtest');
  return { store, signer: createLedgerSigner(session, 'regtest') };
}

describe('Ledger over replayed APDUs (real hw-app-btc code, documented frames)', () => {
  it('the fixture xpub is the test words’ m/84h/1h/0h', () => {
    expect(testRoot().derive("m/84'/1'/0'").publicExtendedKey).toBe(TPUB_84_1_0);
  });

  it('reads the fingerprint and the account xpub from the Bitcoin Test app', async () => {
    const { store, signer } = await replay(
      // Our adapter checks the app once; hw-app-btc's Btc asks again before choosing its protocol.
      appAndVersion('Bitcoin Test', '2.2.3') +
        MASTER_FINGERPRINT +
        appAndVersion('Bitcoin Test', '2.2.3') +
        XPUB_84_1_0,
    );
    expect(await signer.fingerprint()).toBe('73c5da0a');
    expect(await signer.getXpub("m/84'/1'/0'", 'regtest')).toBe(TPUB_84_1_0);
    store.ensureQueueEmpty();
  });

  it('the dashboard answer means "open the Bitcoin app", and nothing else is sent', async () => {
    const { store, signer } = await replay(DASHBOARD);
    await expect(signer.fingerprint()).rejects.toMatchObject({ code: 'HW_WRONG_APP' });
    store.ensureQueueEmpty();
  });

  it('an app older than 2.1.0 is refused as too old', async () => {
    const { store, signer } = await replay(appAndVersion('Bitcoin Test', '2.0.6'));
    await expect(signer.fingerprint()).rejects.toMatchObject({ code: 'HW_APP_TOO_OLD' });
    store.ensureQueueEmpty();
  });

  it('a locked device (status 0x5515) is reported as locked', async () => {
    const { signer } = await replay('=> b001000000\n<= 5515\n');
    await expect(signer.fingerprint()).rejects.toMatchObject({ code: 'HW_LOCKED' });
  });
});
