import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { poolPort } from '../../main/lightning/nwc/relays';
import { startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';

const suite = useNostrSuite('flash-nwc-auth-');

/**
 * An NWC wallet's relay that asks for NIP-42 AUTH must learn the connection's key, never the
 * user's NOSTR identity: otherwise every wallet relay could tie the payments to the person.
 */
describe('NIP-42 AUTH on an NWC wallet relay', () => {
  it('answers as the NWC connection on the wallet relay, and as the user on their own relay', async () => {
    const walletRelay = await suite.relay({ requireAuth: true });
    const ownRelay = await suite.relay({ requireAuth: true });
    const user = await startNostrUser(suite.dir, 'auth', [ownRelay.url], {
      cleanup: suite.cleanup,
      setRelays: 'try',
    });
    const connectionSecret = generateSecretKey();
    const connectionPubkey = getPublicKey(connectionSecret);
    const port = poolPort(user.nostr);
    const sign = (template: Parameters<typeof finalizeEvent>[0]) => finalizeEvent(template, connectionSecret);

    // The wallet relay: held for NWC with the connection's signer, then subscribed (the relay
    // refuses the REQ, challenges, and the subscription is replayed once authenticated).
    port.hold('nwc-test', [walletRelay.url, ownRelay.url], sign);
    port.subscribe('nwc-test-sub', [{ kinds: [23195], '#p': [connectionPubkey] }], [walletRelay.url]);
    await until('the wallet relay authenticates the client', () => walletRelay.authenticatedAs.length > 0);
    expect(walletRelay.authenticatedAs).toEqual([connectionPubkey]);
    expect(walletRelay.authenticatedAs).not.toContain(user.pubkey);

    // The user's own relay, held by NWC as well: the user talks there as themselves anyway.
    port.subscribe('nwc-test-own', [{ kinds: [23195], '#p': [connectionPubkey] }], [ownRelay.url]);
    await until('the own relay authenticates the client', () => ownRelay.authenticatedAs.length > 0);
    expect(ownRelay.authenticatedAs).toContain(user.pubkey);
    expect(ownRelay.authenticatedAs).not.toContain(connectionPubkey);

    port.unsubscribe('nwc-test-sub');
    port.unsubscribe('nwc-test-own');
    port.release('nwc-test');
  });
});
