import { benchBridgeLatency } from './bridge-latency';
import { benchHistoryStore } from './history-store';
import { benchNostr } from './nostr';
import { benchOnchainSync } from './onchain-sync';

/** `npm run bench`: prints figures and ratios against baselines measured in the same run. */
async function main(): Promise<void> {
  console.log(`Flash benchmarks — Node ${process.version}, ${new Date().toISOString()}`);
  await benchBridgeLatency();
  await benchHistoryStore();
  await benchOnchainSync();
  await benchNostr();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
