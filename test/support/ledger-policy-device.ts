/**
 * A Ledger Bitcoin app, device side, at the APDU level, for the wallet-policy commands, after the
 * app's own documentation (LedgerHQ/app-bitcoin-new doc/bitcoin.md, doc/wallet.md, doc/merkle.md):
 *
 * - GET APP AND VERSION (B0 01) and GET_MASTER_FINGERPRINT (E1 05);
 * - REGISTER_WALLET (E1 02): `varint len | policy`, the policy serialized as
 *   `02 | name len | name | varint template len | sha256(template) | varint n keys | keys Merkle root`;
 *   the device asks the client for the template and every key through the client commands
 *   (SW 0xE000): GET_PREIMAGE (0x40), GET_MERKLE_LEAF_PROOF (0x41), GET_MORE_ELEMENTS (0xA0),
 *   checks every preimage and Merkle proof it gets, and answers `wallet id | HMAC-SHA256`;
 * - GET_WALLET_ADDRESS (E1 03): `display | wallet id | hmac | change | index (BE)`; a wrong HMAC
 *   is SW_SIGNATURE_FAIL (0xB008); the policy comes back through GET_PREIMAGE of the id, and the
 *   address is derived here, with bitcoinjs' payments, not with Flash's multisig code.
 *
 * The HMAC key is SLIP-21's node for a label of ours under the test seed (the app documents
 * SLIP-21 for its key but not the label, which only the device ever uses). Test code only.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import Transport from '@ledgerhq/hw-transport';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { payments } from 'bitcoinjs-lib';
import type { Network } from '../../shared/contract';
import { networkParams } from '../../main/bitcoin/wallet/networks';

const SW_OK = 0x9000;
const SW_INTERRUPTED = 0xe000;
const SW_DENY = 0x6985;
const SW_INCORRECT_DATA = 0x6a80;
const SW_INS_NOT_SUPPORTED = 0x6d00;
const SW_CLA_NOT_SUPPORTED = 0x6e00;
const SW_BAD_STATE = 0xb007;
const SW_SIGNATURE_FAIL = 0xb008;

class StatusWord extends Error {
  constructor(readonly sw: number) {
    super(`status 0x${sw.toString(16)}`);
  }
}

/** Bitcoin-style varint: read at an offset. */
function readVarint(buf: Uint8Array, at: number): { value: number; next: number } {
  const first = buf[at];
  if (first === undefined) throw new StatusWord(SW_INCORRECT_DATA);
  if (first < 0xfd) return { value: first, next: at + 1 };
  const view = new DataView(buf.buffer, buf.byteOffset);
  if (first === 0xfd) return { value: view.getUint16(at + 1, true), next: at + 3 };
  if (first === 0xfe) return { value: view.getUint32(at + 1, true), next: at + 5 };
  throw new StatusWord(SW_INCORRECT_DATA);
}

function varint(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  return Uint8Array.of(0xfd, n & 0xff, n >> 8);
}

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
const equal = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** doc/merkle.md: leaves sha256(0x00 | x), nodes sha256(0x01 | left | right), split at the largest power of 2 below n. */
function rootFromProof(
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  index: number,
  size: number,
): Uint8Array {
  if (size === 1) {
    if (proof.length !== 0) throw new StatusWord(SW_INCORRECT_DATA);
    return leaf;
  }
  let split = 1;
  while (split * 2 < size) split *= 2;
  const sibling = proof[proof.length - 1];
  if (!sibling) throw new StatusWord(SW_INCORRECT_DATA);
  const rest = proof.slice(0, -1);
  if (index < split) {
    return sha256(concat(Uint8Array.of(1), rootFromProof(leaf, rest, index, split), sibling));
  }
  return sha256(concat(Uint8Array.of(1), sibling, rootFromProof(leaf, rest, index - split, size - split)));
}

/** SLIP-21: master node from the seed, then one child per label; the key is the node's right half. */
function slip21Key(seed: Uint8Array, label: string): Uint8Array {
  const master = hmac(sha512, new TextEncoder().encode('Symmetric key seed'), seed);
  const child = hmac(sha512, master.slice(0, 32), concat(Uint8Array.of(0), new TextEncoder().encode(label)));
  return child.slice(32);
}

export interface PolicyDeviceOptions {
  words: string;
  network: Network;
  appName?: string;
  appVersion?: string;
}

export interface PolicyDeviceLog {
  /** Every APDU the client sent, hex, in order. */
  apdus: string[];
  /** The client commands the device asked, by code (0x40, 0x41, 0xa0). */
  clientCommands: number[];
  /** What the screen showed and the user approved or refused. */
  screens: string[];
}

/**
 * The device behind a real hw-transport: ledger-bitcoin's AppClient and hw-app-btc talk to it
 * exactly as to USB HID. `approve` is the user's answer on the device's buttons.
 */
export class PolicyDeviceTransport extends Transport {
  readonly log: PolicyDeviceLog = { apdus: [], clientCommands: [], screens: [] };
  approve = true;
  private readonly root: HDKey;
  private readonly hmacKey: Uint8Array;
  private readonly fingerprint: Uint8Array;
  private answer: ((response: Buffer) => void) | null = null;
  private continued: ((data: Uint8Array) => void) | null = null;
  private readonly pending: Uint8Array[] = [];

  constructor(private readonly options: PolicyDeviceOptions) {
    super();
    const seed = mnemonicToSeedSync(options.words);
    this.root = HDKey.fromMasterSeed(seed, networkParams(options.network).btc.bip32);
    this.hmacKey = slip21Key(seed, 'Flash test device: wallet policy HMAC');
    const fp = new Uint8Array(4);
    new DataView(fp.buffer).setUint32(0, this.root.fingerprint >>> 0);
    this.fingerprint = fp;
  }

  override exchange(apdu: Buffer): Promise<Buffer> {
    this.log.apdus.push(apdu.toString('hex'));
    return new Promise((resolve) => {
      this.answer = resolve;
      const [cla, ins] = [apdu[0], apdu[1]];
      const data = Uint8Array.from(apdu.subarray(5, 5 + (apdu[4] ?? 0)));
      if (cla === 0xf8 && ins === 0x01) {
        const resume = this.continued;
        this.continued = null;
        if (!resume) this.reply(new Uint8Array(), SW_BAD_STATE);
        else resume(data);
        return;
      }
      this.run(cla ?? 0, ins ?? 0, data).then(
        (out) => this.reply(out, SW_OK),
        (err: unknown) => this.reply(new Uint8Array(), err instanceof StatusWord ? err.sw : SW_BAD_STATE),
      );
    });
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  private reply(data: Uint8Array, sw: number): void {
    const answer = this.answer;
    this.answer = null;
    answer?.(Buffer.concat([Buffer.from(data), Buffer.from([sw >> 8, sw & 0xff])]));
  }

  /** A client command: answers the current APDU with 0xE000 and waits for the client's CONTINUE. */
  private ask(request: Uint8Array): Promise<Uint8Array> {
    this.log.clientCommands.push(request[0] ?? 0);
    return new Promise((resolve) => {
      this.continued = resolve;
      this.reply(request, SW_INTERRUPTED);
    });
  }

  /** Elements the client queued (preimage bytes, proof hashes), fetched with GET_MORE_ELEMENTS. */
  private async moreElements(count: number, size: number): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    while (out.length < count) {
      const r = await this.ask(Uint8Array.of(0xa0));
      const [n = 0, s = 0] = r;
      if (n === 0 || s !== size || r.length !== 2 + n * s) throw new StatusWord(SW_INCORRECT_DATA);
      for (let i = 0; i < n; i++) out.push(r.slice(2 + i * s, 2 + (i + 1) * s));
    }
    if (out.length !== count) throw new StatusWord(SW_INCORRECT_DATA);
    return out;
  }

  private async preimage(hash: Uint8Array): Promise<Uint8Array> {
    const r = await this.ask(concat(Uint8Array.of(0x40, 0x00), hash));
    const { value: length, next } = readVarint(r, 0);
    const b = r[next] ?? 0;
    const first = r.slice(next + 1, next + 1 + b);
    if (first.length !== b || b > length) throw new StatusWord(SW_INCORRECT_DATA);
    const rest = length > b ? await this.moreElements(length - b, 1) : [];
    const whole = concat(first, ...rest);
    // Commit and reveal: nothing the client says is taken on trust.
    if (!equal(sha256(whole), hash)) throw new StatusWord(SW_INCORRECT_DATA);
    return whole;
  }

  private async leaf(root: Uint8Array, size: number, index: number): Promise<Uint8Array> {
    const r = await this.ask(concat(Uint8Array.of(0x41), root, varint(size), varint(index)));
    const leafHash = r.slice(0, 32);
    const [proofLength = 0, inReply = 0] = [r[32], r[33]];
    if (r.length !== 34 + 32 * inReply || inReply > proofLength) throw new StatusWord(SW_INCORRECT_DATA);
    const proof: Uint8Array[] = [];
    for (let i = 0; i < inReply; i++) proof.push(r.slice(34 + 32 * i, 66 + 32 * i));
    if (proofLength > inReply) proof.push(...(await this.moreElements(proofLength - inReply, 32)));
    if (!equal(rootFromProof(leafHash, proof, index, size), root)) throw new StatusWord(SW_INCORRECT_DATA);
    const element = await this.preimage(leafHash);
    if (element[0] !== 0x00) throw new StatusWord(SW_INCORRECT_DATA);
    return element.slice(1);
  }

  /** The policy's name, template and keys, each revealed by the client and checked against the commitment. */
  private async readPolicy(
    serialized: Uint8Array,
  ): Promise<{ name: string; template: string; keys: string[] }> {
    if (serialized[0] !== 0x02) throw new StatusWord(SW_INCORRECT_DATA);
    const nameLength = serialized[1] ?? 0;
    const name = Buffer.from(serialized.slice(2, 2 + nameLength)).toString('ascii');
    const t = readVarint(serialized, 2 + nameLength);
    const templateHash = serialized.slice(t.next, t.next + 32);
    const k = readVarint(serialized, t.next + 32);
    const keysRoot = serialized.slice(k.next, k.next + 32);
    if (keysRoot.length !== 32 || serialized.length !== k.next + 32) throw new StatusWord(SW_INCORRECT_DATA);
    const template = Buffer.from(await this.preimage(templateHash)).toString('ascii');
    if (template.length !== t.value) throw new StatusWord(SW_INCORRECT_DATA);
    const keys: string[] = [];
    for (let i = 0; i < k.value; i++)
      keys.push(Buffer.from(await this.leaf(keysRoot, k.value, i)).toString('ascii'));
    return { name, template, keys };
  }

  private walletHmac(id: Uint8Array): Uint8Array {
    return hmac(sha256, this.hmacKey, id);
  }

  private confirm(screen: string): void {
    this.log.screens.push(screen);
    if (!this.approve) throw new StatusWord(SW_DENY);
  }

  private async run(cla: number, ins: number, data: Uint8Array): Promise<Uint8Array> {
    if (cla === 0xb0 && ins === 0x01) {
      const text = (s: string) => concat(Uint8Array.of(s.length), new TextEncoder().encode(s));
      return concat(
        Uint8Array.of(1),
        text(this.options.appName ?? 'Bitcoin Test'),
        text(this.options.appVersion ?? '2.2.3'),
        Uint8Array.of(1, 0),
      );
    }
    if (cla !== 0xe1) throw new StatusWord(SW_CLA_NOT_SUPPORTED);
    if (ins === 0x05) return this.fingerprint;
    if (ins === 0x02) return this.registerWallet(data);
    if (ins === 0x03) return this.walletAddress(data);
    throw new StatusWord(SW_INS_NOT_SUPPORTED);
  }

  private async registerWallet(data: Uint8Array): Promise<Uint8Array> {
    const { value: length, next } = readVarint(data, 0);
    const serialized = data.slice(next, next + length);
    if (serialized.length !== length) throw new StatusWord(SW_INCORRECT_DATA);
    const policy = await this.readPolicy(serialized);
    // doc/wallet.md: 1-16 printable ASCII characters, no space at either end.
    if (!/^[\x21-\x7e]([\x20-\x7e]{0,14}[\x21-\x7e])?$/.test(policy.name))
      throw new StatusWord(SW_INCORRECT_DATA);
    if (!/^(sh\(wsh\(|wsh\(|sh\()(sorted)?multi\(/.test(policy.template))
      throw new StatusWord(SW_INCORRECT_DATA);
    if (!policy.keys.some((key) => this.isOurs(key))) throw new StatusWord(SW_INCORRECT_DATA);
    this.confirm(`Register ${policy.name}: ${policy.template} with ${policy.keys.join(', ')}`);
    const id = sha256(serialized);
    return concat(id, this.walletHmac(id));
  }

  private async walletAddress(data: Uint8Array): Promise<Uint8Array> {
    if (data.length !== 70) throw new StatusWord(SW_INCORRECT_DATA);
    const display = data[0] === 1;
    const id = data.slice(1, 33);
    const given = data.slice(33, 65);
    const change = data[65] ?? 0;
    const index = new DataView(data.buffer, data.byteOffset).getUint32(66);
    if (!equal(given, this.walletHmac(id))) throw new StatusWord(SW_SIGNATURE_FAIL);
    const policy = await this.readPolicy(await this.preimage(id));
    const address = this.deriveAddress(policy.template, policy.keys, change, index);
    if (display) this.confirm(`Address ${address}`);
    return new TextEncoder().encode(address);
  }

  private isOurs(key: string): boolean {
    const m = /^\[([0-9a-f]{8})((?:\/\d+')*)\](\w+)$/.exec(key);
    if (!m || m[1] !== Buffer.from(this.fingerprint).toString('hex')) return false;
    return this.root.derive(`m${m[2] ?? ''}`).publicExtendedKey === m[3];
  }

  /** The address of a (sorted)multi template at change/index, derived on the device. */
  private deriveAddress(template: string, keys: readonly string[], change: number, index: number): string {
    const m = /^(sh\(wsh\(|wsh\(|sh\()(sorted)?multi\((\d+),((?:@\d+\/\*\*,?)+)\)\)*$/.exec(template);
    if (!m) throw new StatusWord(SW_INCORRECT_DATA);
    const [, wrapper = '', sorted, threshold = '0', placeholders = ''] = m;
    const versions = networkParams(this.options.network).btc.bip32;
    let pubkeys = placeholders
      .split(',')
      .map((p) => keys[Number(/^@(\d+)/.exec(p)?.[1] ?? -1)])
      .map((key) => {
        const xpub = key?.replace(/^\[[^\]]*\]/, '');
        if (!xpub) throw new StatusWord(SW_INCORRECT_DATA);
        const child = HDKey.fromExtendedKey(xpub, versions).deriveChild(change).deriveChild(index);
        if (!child.publicKey) throw new StatusWord(SW_INCORRECT_DATA);
        return Buffer.from(child.publicKey);
      });
    if (sorted) pubkeys = [...pubkeys].sort(Buffer.compare);
    const network = networkParams(this.options.network).btc;
    const multisig = payments.p2ms({ m: Number(threshold), pubkeys, network });
    const inner = wrapper === 'sh(' ? multisig : payments.p2wsh({ redeem: multisig, network });
    const outer = wrapper === 'wsh(' ? inner : payments.p2sh({ redeem: inner, network });
    if (!outer.address) throw new StatusWord(SW_INCORRECT_DATA);
    return outer.address;
  }
}
