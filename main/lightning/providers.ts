import { randomUUID } from 'node:crypto';
import type { ConnectProviderInput, LightningProviderView, Network } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import type { ConnectionRow, ConnectionStore } from './connections';
import { toFlashError } from './errors';
import type { LightningProvider, ProviderEvent, ProviderInfo } from './provider';
import type { KindContext, ProviderKindDefinition, ProviderKinds } from './registry';
import type { LiveState } from './views';
import { providerView } from './views';

/**
 * The connected providers at run time: one live entry per stored connection of the current
 * network, its state (connected, connecting, disconnected, locked) and last error. Providers
 * connect when the vault unlocks (their secrets are sealed there) and disconnect when it locks.
 */

export interface LiveProvider {
  row: ConnectionRow;
  provider: LightningProvider;
  state: LiveState;
  error: string | null;
  info: ProviderInfo | null;
  stopEvents: (() => void) | null;
}

export interface ProviderManagerDeps {
  store: ConnectionStore;
  kinds: ProviderKinds;
  network(): Network;
  log: Logger;
  now(): number;
  /** Every provider event, tagged with the connection it came from. */
  onEvent(live: LiveProvider, event: ProviderEvent): void;
  /** A provider connected (after start, unlock or being added): recover its open payments. */
  onConnected(live: LiveProvider): void;
  /** Something in the list changed (state, default, added, removed). */
  onChange(providerId: string | null): void;
}

function errorCode(err: unknown): string {
  return toFlashError(err).code;
}

export function createProviderManager(deps: ProviderManagerDeps) {
  const live = new Map<string, LiveProvider>();
  const ctx = (): KindContext => ({ network: deps.network(), log: deps.log });

  function kindOf(kind: string): ProviderKindDefinition {
    const def = (deps.kinds as Record<string, ProviderKindDefinition | undefined>)[kind];
    if (!def)
      throw new FlashError('LIGHTNING_NOT_SUPPORTED', `This build cannot connect "${kind}" wallets.`, {
        kind,
      });
    return def;
  }

  function build(row: ConnectionRow): LiveProvider | null {
    let provider: LightningProvider;
    try {
      provider = kindOf(row.kind).create(deps.store.stored(row), ctx());
    } catch (err) {
      deps.log.warn('provider could not be built', { id: row.id, kind: row.kind, code: errorCode(err) });
      return null;
    }
    const entry: LiveProvider = {
      row,
      provider,
      state: 'disconnected',
      error: null,
      info: null,
      stopEvents: null,
    };
    entry.stopEvents = provider.onEvent((event) => {
      if (event.type === 'connection') {
        entry.state = event.state;
        entry.error = event.error;
        deps.onChange(row.id);
      }
      deps.onEvent(entry, event);
    });
    return entry;
  }

  function checkNetwork(info: ProviderInfo): void {
    if (info.network !== null && info.network !== deps.network())
      throw new FlashError('LIGHTNING_WRONG_NETWORK', `That wallet is on ${info.network}.`, {
        found: info.network,
        expected: deps.network(),
      });
  }

  async function connect(entry: LiveProvider): Promise<void> {
    entry.state = 'connecting';
    deps.onChange(entry.row.id);
    try {
      const info = await entry.provider.connect();
      checkNetwork(info);
      entry.info = info;
      entry.state = 'connected';
      entry.error = null;
      deps.onChange(entry.row.id);
      deps.onConnected(entry);
    } catch (err) {
      const code = errorCode(err);
      entry.state = code === 'VAULT_LOCKED' ? 'locked' : 'disconnected';
      entry.error = code === 'VAULT_LOCKED' ? null : code;
      deps.log.warn('provider did not connect', { id: entry.row.id, kind: entry.row.kind, code });
      deps.onChange(entry.row.id);
    }
  }

  return {
    /** Builds the entries of the current network (no network yet). */
    load(): void {
      for (const row of deps.store.list(deps.network())) {
        if (live.has(row.id)) continue;
        const entry = build(row);
        if (entry) live.set(row.id, entry);
      }
    },
    async connectAll(): Promise<void> {
      await Promise.all([...live.values()].filter((e) => e.state !== 'connected').map((e) => connect(e)));
    },
    async disconnectAll(state: LiveState = 'disconnected'): Promise<void> {
      await Promise.all(
        [...live.values()].map(async (e) => {
          try {
            await e.provider.disconnect();
          } catch (err) {
            deps.log.warn('provider did not disconnect cleanly', { id: e.row.id, code: errorCode(err) });
          }
          e.state = state;
        }),
      );
      deps.onChange(null);
    },
    async unloadAll(): Promise<void> {
      await this.disconnectAll();
      for (const e of live.values()) e.stopEvents?.();
      live.clear();
    },
    list(): LightningProviderView[] {
      return deps.store
        .list(deps.network())
        .map((row) =>
          providerView(row, live.get(row.id) ?? { state: 'disconnected', error: null, info: null }),
        );
    },
    view(id: string): LightningProviderView {
      const row = deps.store.get(id);
      if (!row || row.network !== deps.network())
        throw new FlashError('LIGHTNING_PROVIDER_NOT_FOUND', 'No such Lightning connection.');
      return providerView(row, live.get(id) ?? { state: 'disconnected', error: null, info: null });
    },
    get(id: string): LiveProvider | null {
      return live.get(id) ?? null;
    },
    all(): LiveProvider[] {
      return [...live.values()];
    },
    /** The provider to use: the one named, or the default; connected, or a typed error saying why not. */
    require(id?: string): LiveProvider {
      let entry: LiveProvider | undefined;
      if (id !== undefined) {
        entry = live.get(id);
        if (!entry) throw new FlashError('LIGHTNING_PROVIDER_NOT_FOUND', 'No such Lightning connection.');
      } else {
        const row = deps.store.list(deps.network()).find((r) => r.isDefault);
        entry = row ? live.get(row.id) : undefined;
        if (!entry) throw new FlashError('LIGHTNING_NO_PROVIDER', 'No Lightning wallet is connected.');
      }
      if (entry.state === 'locked') throw new FlashError('VAULT_LOCKED', 'Flash is locked.');
      if (entry.state !== 'connected')
        throw new FlashError('LIGHTNING_UNREACHABLE', 'The Lightning wallet is not connected.', {
          providerId: entry.row.id,
          reason: entry.error ?? 'disconnected',
        });
      return entry;
    },

    /**
     * Adds a connection: the kind checks the input, the provider is built and must connect (a
     * wrong macaroon or certificate is reported now, not saved), then row and secret are stored.
     */
    async add(input: ConnectProviderInput): Promise<LightningProviderView> {
      const def = kindOf(input.kind);
      const prepared = await (
        def.prepareConnection as (
          i: ConnectProviderInput,
          c: KindContext,
        ) => ReturnType<ProviderKindDefinition['prepareConnection']>
      )(input, ctx());
      const id = randomUUID();
      const secret = prepared.secret;
      const first = deps.store.list(deps.network()).length === 0;
      const row: ConnectionRow = {
        id,
        kind: input.kind,
        label: input.label && input.label.length > 0 ? input.label : prepared.label,
        network: deps.network(),
        settings: prepared.settings,
        endpoint: prepared.endpoint,
        hasSecret: secret !== null,
        isDefault: first,
        createdAt: Math.floor(deps.now() / 1000),
      };
      // A trial provider reads the secret from memory: nothing is stored until it connected.
      const trial = def.create(
        {
          id,
          kind: row.kind,
          label: row.label,
          settings: row.settings,
          endpoint: row.endpoint,
          hasSecret: secret !== null,
          secret: () => {
            if (!secret) throw new FlashError('INTERNAL', 'This connection has no secret.');
            return new Uint8Array(secret);
          },
        },
        ctx(),
      );
      let info: ProviderInfo;
      try {
        info = await trial.connect();
        checkNetwork(info);
      } finally {
        await trial.disconnect().catch(() => undefined);
      }
      if (input.label === undefined || input.label === '') row.label = info.alias ?? row.label;
      deps.store.add(row, secret);
      secret?.fill(0);
      const entry = build(deps.store.get(id) as ConnectionRow);
      if (entry) {
        live.set(id, entry);
        await connect(entry);
      }
      deps.onChange(id);
      return this.view(id);
    },

    async remove(id: string): Promise<void> {
      const row = deps.store.get(id);
      if (!row) throw new FlashError('LIGHTNING_PROVIDER_NOT_FOUND', 'No such Lightning connection.');
      const entry = live.get(id);
      if (entry) {
        entry.stopEvents?.();
        await entry.provider.disconnect().catch(() => undefined);
        live.delete(id);
      }
      await kindOf(row.kind)
        .onRemove?.(deps.store.stored(row))
        .catch((err: unknown) => deps.log.warn('provider clean-up failed', { id, code: errorCode(err) }));
      deps.store.remove(id);
      deps.onChange(id);
    },

    setDefault(id: string): LightningProviderView {
      deps.store.setDefault(id);
      deps.onChange(id);
      return this.view(id);
    },
  };
}

export type ProviderManager = ReturnType<typeof createProviderManager>;
