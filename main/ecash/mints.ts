import type { CounterSource, GetInfoResponse, KeyChainCache } from '@cashu/cashu-ts';
import { Mint, normalizeMintUrl, Wallet } from '@cashu/cashu-ts';
import type { Network } from '../../shared/contract/common';
import { FlashError } from '../../shared/errors';
import type { Db } from '../store/database';
import { toFlashError } from './errors';

/**
 * The mints the user added: their NUT-06 info and public keysets (cashu-ts's KeyChainCache),
 * kept in SQLite so amounts, fees and DLEQ checks work while a mint is down or we are offline.
 * Wallets (cashu-ts `Wallet`, one per mint and unit) are built from that cache with the Cashu
 * seed and the shared SQLite CounterSource.
 */

export interface MintRecord {
  url: string;
  info: GetInfoResponse;
  keychain: KeyChainCache;
  reachable: boolean;
  lastError: string | null;
  checkedAt: number;
  addedAt: number;
}

export interface MintRegistryDeps {
  db: Db;
  network(): Network;
  counters: CounterSource;
  seed(): Uint8Array;
  now(): number;
  /** Called when a mint's reachability changes or its keysets change. */
  onChange(url: string): void;
}

/** A mint URL as NUT-00 wants it (no trailing slash), http(s) only. */
export function cleanMintUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new FlashError('ECASH_BAD_MINT_URL', 'That is not a mint address (https://…).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new FlashError('ECASH_BAD_MINT_URL', 'A mint address starts with https://.');
  if (url.username || url.password || url.hash || url.search)
    throw new FlashError('ECASH_BAD_MINT_URL', 'A mint address has no user, query or fragment.');
  return normalizeMintUrl(url.toString());
}

export function createMintRegistry(deps: MintRegistryDeps) {
  const { db } = deps;
  const wallets = new Map<string, Wallet>();

  const row = (url: string): MintRecord | null => {
    const r = db
      .prepare<[Network, string], Record<string, unknown>>(
        `SELECT * FROM ecash_mints WHERE network = ? AND url = ?`,
      )
      .get(deps.network(), url);
    return r ? recordOf(r) : null;
  };

  /** Fetches info, every keyset and the keys of each (inactive ones too: receiving and restoring). */
  async function fetchMint(url: string): Promise<{ info: GetInfoResponse; keychain: KeyChainCache }> {
    const wallet = new Wallet(new Mint(url));
    await wallet.loadMint(true);
    const ids = wallet.keyChain.cache.keysets.map((k) => k.id);
    await wallet.ensureOperableKeysets(ids);
    return { info: wallet.getMintInfo().cache, keychain: wallet.keyChain.cache };
  }

  const registry = {
    get: row,

    require(url: string): MintRecord {
      const r = row(url);
      if (!r)
        throw new FlashError('ECASH_MINT_NOT_FOUND', 'This mint is not in your list. Add it first.', {
          mint: url,
        });
      return r;
    },

    list(): MintRecord[] {
      return db
        .prepare<[Network], Record<string, unknown>>(
          `SELECT * FROM ecash_mints WHERE network = ? ORDER BY added_at`,
        )
        .all(deps.network())
        .map(recordOf);
    },

    /** What a mint says about itself, without adding it (shown before the user agrees). */
    async preview(text: string): Promise<{ url: string; info: GetInfoResponse; keychain: KeyChainCache }> {
      const url = cleanMintUrl(text);
      try {
        return { url, ...(await fetchMint(url)) };
      } catch (err) {
        throw toFlashError(err, url);
      }
    },

    async add(text: string): Promise<MintRecord> {
      const { url, info, keychain } = await registry.preview(text);
      const t = deps.now();
      db.prepare(
        `INSERT INTO ecash_mints (network, url, info, keychain, reachable, checked_at, added_at)
         VALUES (?, ?, ?, ?, 1, ?, ?)
         ON CONFLICT (network, url) DO UPDATE SET info = excluded.info, keychain = excluded.keychain, reachable = 1,
           last_error = NULL, checked_at = excluded.checked_at`,
      ).run(deps.network(), url, JSON.stringify(info), JSON.stringify(keychain), t, t);
      wallets.clear();
      return registry.require(url);
    },

    remove(url: string): void {
      db.prepare(`DELETE FROM ecash_mints WHERE network = ? AND url = ?`).run(deps.network(), url);
      wallets.clear();
    },

    /** Fetches the mint again: follows keyset rotation; a failure marks it unreachable. */
    async refresh(url: string): Promise<MintRecord> {
      registry.require(url);
      try {
        const { info, keychain } = await fetchMint(url);
        db.prepare(
          `UPDATE ecash_mints SET info = ?, keychain = ?, reachable = 1, last_error = NULL, checked_at = ? WHERE network = ? AND url = ?`,
        ).run(JSON.stringify(info), JSON.stringify(keychain), deps.now(), deps.network(), url);
        for (const key of [...wallets.keys()]) if (key.startsWith(`${url} `)) wallets.delete(key);
        deps.onChange(url);
        return registry.require(url);
      } catch (err) {
        const e = toFlashError(err, url);
        registry.markReachable(url, false, e.message);
        throw e;
      }
    },

    markReachable(url: string, reachable: boolean, error: string | null = null): void {
      const before = row(url);
      if (!before) return;
      db.prepare(
        `UPDATE ecash_mints SET reachable = ?, last_error = ?, checked_at = ? WHERE network = ? AND url = ?`,
      ).run(reachable ? 1 : 0, reachable ? null : error, deps.now(), deps.network(), url);
      if (before.reachable !== reachable) deps.onChange(url);
    },

    /** A cashu-ts wallet for the mint and unit, from the stored keysets (no network call). */
    wallet(url: string, unit: string): Wallet {
      const key = `${url} ${unit}`;
      const cached = wallets.get(key);
      if (cached) return cached;
      const rec = registry.require(url);
      if (!rec.keychain.keysets.some((k) => k.unit === unit && k.active))
        throw new FlashError('ECASH_UNIT_NOT_SUPPORTED', `This mint has no active keyset for ${unit}.`, {
          unit,
        });
      const wallet = new Wallet(new Mint(url), {
        unit,
        bip39seed: deps.seed(),
        counterSource: deps.counters,
        // Keysets come from our cache; a rotation is followed by refresh(), on our schedule.
        strictCachedKeysets: false,
      });
      wallet.loadMintFromCache(rec.info, rec.keychain);
      wallets.set(key, wallet);
      return wallet;
    },

    /** Drops built wallets (they hold the seed): on lock and on network change. */
    forgetWallets(): void {
      wallets.clear();
    },

    /** Unit keysets (active first) of a stored mint. */
    keysets(url: string): { id: string; unit: string; active: boolean; inputFeePpk: number }[] {
      return registry.require(url).keychain.keysets.map((k) => ({
        id: k.id,
        unit: k.unit,
        active: k.active !== false,
        inputFeePpk: k.input_fee_ppk ?? 0,
      }));
    },
  };
  return registry;
}

export type MintRegistry = ReturnType<typeof createMintRegistry>;

function recordOf(r: Record<string, unknown>): MintRecord {
  return {
    url: r['url'] as string,
    info: JSON.parse(r['info'] as string) as GetInfoResponse,
    keychain: JSON.parse(r['keychain'] as string) as KeyChainCache,
    reachable: r['reachable'] === 1,
    lastError: (r['last_error'] as string | null) ?? null,
    checkedAt: r['checked_at'] as number,
    addedAt: r['added_at'] as number,
  };
}
