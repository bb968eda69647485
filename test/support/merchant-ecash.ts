import type { EventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import type { EcashService } from '../../main/ecash/service';
import { createEcashService } from '../../main/ecash/service';
import type { Db } from '../../main/store/database';
import type { VaultService } from '../../main/vault/types';
import type { CashuStack } from '../stack/cashu';
import { startCashuStack } from '../stack/cashu';
import { LightningLedger } from '../stack/lightning/ledger';

/**
 * The Cashu side of the merchant counter's eCash tests: the stand-in mints on their own Lightning
 * ledger, and the shop's eCash service made on the counter harness's database, vault and bus.
 */

/** The Cashu stand-in mints, with a funded `stack` node on their ledger that can pay quotes. */
export async function startCashuMints(): Promise<{
  ledger: LightningLedger;
  cashu: CashuStack;
  stop(): Promise<void>;
}> {
  const ledger = new LightningLedger();
  ledger.createNode('stack', { balanceMsat: 100_000_000_000n });
  const cashu = await startCashuStack(ledger);
  return {
    ledger,
    cashu,
    async stop() {
      await cashu.stop();
      ledger.close();
    },
  };
}

/**
 * The shop's eCash: the wallet's own eCash service, which the merchant harness makes on its own
 * database, vault and bus (pass `make` as the harness's `ecash`), read back as `service` once the
 * harness has started. `payMintQuotesFrom` lets the shop pay its mint quotes from the mints'
 * ledger; without it the shop only takes tokens in.
 */
export function shopEcashForHarness(opts: { mnemonic: string; payMintQuotesFrom?: LightningLedger }): {
  make(core: { db: Db; vault: VaultService; bus: EventBus }): EcashService;
  readonly service: EcashService;
} {
  let made: EcashService | undefined;
  const ledger = opts.payMintQuotesFrom;
  return {
    make({ db, vault, bus }) {
      made = createEcashService({
        db,
        vault,
        bus,
        log: silentLogger,
        network: () => 'regtest',
        words: () => ({ mnemonic: opts.mnemonic, passphrase: '' }),
        ...(ledger
          ? { lightning: { pay: async ({ text }) => ({ state: (await ledger.pay('stack', text)).state }) } }
          : {}),
        // No background rechecks: each test drives the eCash journal itself.
        recheckEveryMs: 3_600_000,
      });
      return made;
    },
    get service() {
      if (!made) throw new Error('the merchant harness has not made the shop’s eCash yet');
      return made;
    },
  };
}
