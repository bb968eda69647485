import mainnetFile from './checkpoints/mainnet.json';
import signetFile from './checkpoints/signet.json';
import testnetFile from './checkpoints/testnet.json';
import testnet4File from './checkpoints/testnet4.json';

/** Networks the chain layer knows. `testnet4` is here for headers even though wallets lack it. */
export type ChainNetwork = 'mainnet' | 'testnet' | 'testnet4' | 'signet' | 'regtest';

export const RETARGET_INTERVAL = 2016;
/** Two weeks, in seconds. */
export const TARGET_TIMESPAN = 14 * 24 * 60 * 60;
export const TARGET_SPACING = 10 * 60;
/** Blocks whose median time a new header must exceed (BIP113; Core's nMedianTimeSpan). */
export const MEDIAN_TIME_SPAN = 11;
/** How far a header's time may run ahead of the local clock, in seconds (Core's MAX_FUTURE_BLOCK_TIME). */
export const MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;

/** The last block of a period, and the compact target of the period after it (null: unknown). */
export interface Checkpoint {
  hash: string;
  bits: number | null;
}

export interface ChainParams {
  network: ChainNetwork;
  /** Display hex. */
  genesisHash: string;
  /** Largest target a header may claim, and its compact form. */
  powLimit: bigint;
  powLimitBits: number;
  /** testnet3, testnet4 and regtest: a block more than 20 minutes after its parent may use powLimit. */
  allowMinDifficultyBlocks: boolean;
  /** regtest: difficulty never changes. */
  noRetargeting: boolean;
  /** BIP94 (testnet4): retarget from the first block's bits, and the timewarp rule. */
  bip94: boolean;
  /** checkpoints[i]: last block of period i. Empty for regtest. */
  checkpoints: readonly Checkpoint[];
}

interface CheckpointFile {
  checkpoints: (string | null)[][];
}

/** Reads the embedded file, refusing anything that is not `[64-hex hash, 8-hex bits | null]`. */
function load(file: CheckpointFile): Checkpoint[] {
  return file.checkpoints.map((entry, i) => {
    const [hash, bits] = entry;
    if (entry.length !== 2 || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
      throw new Error(`checkpoint ${i} is malformed`);
    }
    if (bits !== null && (typeof bits !== 'string' || !/^[0-9a-f]{8}$/.test(bits))) {
      throw new Error(`checkpoint ${i} has malformed bits`);
    }
    return { hash, bits: bits === null || bits === undefined ? null : parseInt(bits, 16) };
  });
}

const limit = (hex: string): bigint => BigInt(`0x${hex}`);

export const CHAIN_PARAMS: Readonly<Record<ChainNetwork, ChainParams>> = {
  mainnet: {
    network: 'mainnet',
    genesisHash: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
    powLimit: limit('00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff'),
    powLimitBits: 0x1d00ffff,
    allowMinDifficultyBlocks: false,
    noRetargeting: false,
    bip94: false,
    checkpoints: load(mainnetFile),
  },
  testnet: {
    network: 'testnet',
    genesisHash: '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943',
    powLimit: limit('00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff'),
    powLimitBits: 0x1d00ffff,
    allowMinDifficultyBlocks: true,
    noRetargeting: false,
    bip94: false,
    checkpoints: load(testnetFile),
  },
  testnet4: {
    network: 'testnet4',
    genesisHash: '00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043',
    powLimit: limit('00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff'),
    powLimitBits: 0x1d00ffff,
    allowMinDifficultyBlocks: true,
    noRetargeting: false,
    bip94: true,
    checkpoints: load(testnet4File),
  },
  signet: {
    // Default signet retargets like mainnet (fPowNoRetargeting is false), with a lower limit.
    // Its block signatures (the signet challenge) are NOT checked here: out of scope.
    network: 'signet',
    genesisHash: '00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6',
    powLimit: limit('00000377ae000000000000000000000000000000000000000000000000000000'),
    powLimitBits: 0x1e0377ae,
    allowMinDifficultyBlocks: false,
    noRetargeting: false,
    bip94: false,
    checkpoints: load(signetFile),
  },
  regtest: {
    network: 'regtest',
    genesisHash: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206',
    powLimit: limit('7fffff0000000000000000000000000000000000000000000000000000000000'),
    powLimitBits: 0x207fffff,
    allowMinDifficultyBlocks: true,
    noRetargeting: true,
    bip94: false,
    checkpoints: [],
  },
};

export function chainParams(network: ChainNetwork): ChainParams {
  return CHAIN_PARAMS[network];
}

/**
 * Where header sync starts, like Electrum's blockchain.py: everything up to the checkpoints is
 * trusted by hash and not downloaded; the first header stored links to `prevHash`.
 *
 * With a checkpointed target (mainnet) sync starts right after the last checkpoint. Without one
 * (the test chains) it starts one period earlier so the next retarget can be computed from real
 * headers; that period is pinned by its checkpoint hash at the end.
 */
export interface Anchor {
  height: number;
  /** Display hex of the block before `height`; all zeros at genesis. */
  prevHash: string;
}

export const ZERO_HASH = '0'.repeat(64);

export function anchorOf(params: ChainParams): Anchor {
  const cps = params.checkpoints;
  const last = cps[cps.length - 1];
  if (!last) return { height: 0, prevHash: ZERO_HASH };
  if (last.bits !== null) return { height: cps.length * RETARGET_INTERVAL, prevHash: last.hash };
  const period = cps.length - 1;
  return {
    height: period * RETARGET_INTERVAL,
    prevHash: period === 0 ? ZERO_HASH : (cps[period - 1] as Checkpoint).hash,
  };
}
