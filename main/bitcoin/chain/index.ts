export type { BlockHeader } from './header';
export {
  bitsToTarget,
  checkProofOfWork,
  parseHeader,
  parseHeaderHex,
  parseHeaders,
  serializeHeader,
  targetToBits,
  workFromBits,
} from './header';
export type { Anchor, ChainNetwork, ChainParams, Checkpoint } from './params';
export { anchorOf, CHAIN_PARAMS, chainParams, RETARGET_INTERVAL } from './params';
export type { AncestorLookup, HeaderLite } from './pow';
export { calculateNextBits, nextWorkRequired } from './pow';
export type { ConnectResult, HeaderFault, HeaderStore, RemovedHeader, StoredHeader } from './header-chain';
export {
  createMemoryHeaderStore,
  HeaderChain,
  HeaderError,
  validateCheckpointedPeriod,
  validateHeader,
} from './header-chain';
export type { MerkleCheck, MerkleFault, MerkleOptions } from './merkle';
export { checkTxSize, rootFromBranch, treeDepth, verifyMerkleProof } from './merkle';
export type { ChainRepository, LieRecord, ProofState, TxProof } from './repository';
export { createChainRepository } from './repository';
export type {
  ChainService,
  ChainServiceDeps,
  ChainTip,
  LieEvent,
  LieReason,
  ReorgEvent,
  TxVerification,
  VerifyReason,
  VerifyRequest,
} from './service';
export { createChainService, HEADER_CHUNK } from './service';
