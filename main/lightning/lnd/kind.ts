import type { Socks5ProxySetting } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import type { ProviderKindDefinition } from '../registry';
import type { LndConnection } from './connection';
import { parseCertPem, parseLndconnect, parseMacaroon, parseRestAddress } from './connection';
import { macaroonPermissions } from './permissions';
import { createLndProvider } from './provider';

/**
 * LND as a Lightning backend kind. Stored plainly: host, port and the node's certificate (public,
 * and needed before unlocking to show where the node is); sealed in the vault: the macaroon.
 */
export function createLndKind(deps: {
  proxy(): Socks5ProxySetting | null;
  timeoutMs?: number;
}): ProviderKindDefinition<'lnd'> {
  return {
    kind: 'lnd',
    prepareConnection(input) {
      let c: LndConnection;
      if ('lndconnect' in input) c = parseLndconnect(input.lndconnect);
      else {
        const { host, port } = parseRestAddress(input.restAddress);
        c = { host, port, certPem: parseCertPem(input.tlsCert), macaroon: parseMacaroon(input.macaroon) };
      }
      const perms = macaroonPermissions(c.macaroon);
      if (perms.size === 0)
        throw new FlashError('LIGHTNING_BAD_CONNECTION', 'Flash cannot read what this macaroon allows.', {
          reason: 'macaroon',
        });
      const host = c.host.includes(':') ? `[${c.host}]` : c.host;
      return {
        label: 'LND',
        settings: { host: c.host, port: c.port, certPem: c.certPem },
        secret: c.macaroon,
        endpoint: `${host}:${c.port}`,
      };
    },
    create(connection, ctx) {
      const { host, port, certPem } = connection.settings;
      if (typeof host !== 'string' || typeof port !== 'number' || typeof certPem !== 'string')
        throw new FlashError('STORE_CORRUPT', 'A stored LND connection is incomplete.');
      return createLndProvider({
        host,
        port,
        certPem,
        macaroon: () => connection.secret(),
        proxy: deps.proxy,
        log: ctx.log.child('lnd'),
        ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
      });
    },
  };
}
