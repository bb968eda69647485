import fs from 'node:fs';
import path from 'node:path';

/**
 * BTCPay's authorization as its code enforces it. The policy each endpoint needs comes from
 * ../shared/btcpay/permissions-crosscheck.tsv and endpoints.pos-rewards.tsv, column
 * `controller_policy` (where the spec's security block disagrees, the server's code wins). The
 * policy tree is BTCPay's (BTCPayServerServices.AddPolicyDefinitions): a permission grants the
 * ones it includes, transitively; `unrestricted` grants all; `policy:STOREID` limits a store
 * permission to one store.
 */

const SHARED = path.resolve(import.meta.dirname, '../../../../shared/btcpay');

export type EndpointPolicy =
  | { kind: 'anonymous' }
  | { kind: 'authenticated' }
  | { kind: 'policy'; policy: string }
  | { kind: 'unknown' };

const INCLUDES: Record<string, readonly string[]> = {
  'btcpay.store.canmodifyinvoices': [
    'btcpay.store.canviewinvoices',
    'btcpay.store.cancreateinvoice',
    'btcpay.store.cancreatelightninginvoice',
  ],
  'btcpay.server.canmodifyserversettings': [
    'btcpay.server.canuseinternallightningnode',
    'btcpay.server.canmanageusers',
  ],
  'btcpay.store.canmodifystoresettings': [
    'btcpay.store.canmanagepullpayments',
    'btcpay.store.canmodifyinvoices',
    'btcpay.store.canviewstoresettings',
    'btcpay.store.webhooks.canmodifywebhooks',
    'btcpay.store.canmodifypaymentrequests',
    'btcpay.store.canmanagepayouts',
    'btcpay.store.canuselightningnode',
    'btcpay.store.cansendstoreemails',
  ],
  'btcpay.store.canviewstoresettings': [
    'btcpay.store.canviewinvoices',
    'btcpay.store.canviewpaymentrequests',
    'btcpay.store.canviewreports',
    'btcpay.store.canviewpullpayments',
    'btcpay.store.canviewpayouts',
  ],
  'btcpay.store.canmodifypaymentrequests': ['btcpay.store.canviewpaymentrequests'],
  'btcpay.user.canmodifyprofile': ['btcpay.user.canviewprofile'],
  'btcpay.user.canmanagenotificationsforuser': ['btcpay.user.canviewnotificationsforuser'],
  'btcpay.server.canuseinternallightningnode': [
    'btcpay.server.cancreatelightninginvoiceinternalnode',
    'btcpay.server.canviewlightninginvoiceinternalnode',
  ],
  'btcpay.store.canuselightningnode': [
    'btcpay.store.canviewlightninginvoice',
    'btcpay.store.cancreatelightninginvoice',
  ],
  'btcpay.store.cancreatelightninginvoice': ['btcpay.store.canviewlightninginvoice'],
  'btcpay.store.canmanagepullpayments': [
    'btcpay.store.cancreatepullpayments',
    'btcpay.store.canarchivepullpayments',
  ],
  'btcpay.store.cancreatepullpayments': ['btcpay.store.cancreatenonapprovedpullpayments'],
  'btcpay.store.cancreatenonapprovedpullpayments': ['btcpay.store.canviewpullpayments'],
  'btcpay.server.canmanageusers': ['btcpay.server.cancreateuser'],
  'btcpay.store.canmanagepayouts': ['btcpay.store.canviewpayouts'],
};

/** Every permission `granted` implies, itself included. */
export function expand(granted: string): Set<string> {
  const out = new Set<string>([granted]);
  const queue = [granted];
  while (queue.length > 0) {
    const next = queue.pop() as string;
    for (const child of INCLUDES[next] ?? []) {
      if (!out.has(child)) {
        out.add(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/**
 * Whether a key holding `permissions` may use `policy` (on `storeId` when the endpoint is about
 * one store; a store permission without a store id in the route is satisfied by any scope).
 */
export function allows(permissions: readonly string[], policy: string, storeId: string | null): boolean {
  for (const entry of permissions) {
    if (entry === 'unrestricted') return true;
    const [name = '', scope] = splitScope(entry);
    if (!expand(name).has(policy)) continue;
    if (scope === undefined || storeId === null || scope === storeId) return true;
  }
  return false;
}

/** Stores a key may reach with `policy`: 'all', or the ids its scoped permissions name. */
export function storesAllowed(permissions: readonly string[], policy: string): 'all' | Set<string> {
  const ids = new Set<string>();
  for (const entry of permissions) {
    if (entry === 'unrestricted') return 'all';
    const [name = '', scope] = splitScope(entry);
    if (!expand(name).has(policy)) continue;
    if (scope === undefined) return 'all';
    ids.add(scope);
  }
  return ids;
}

function splitScope(entry: string): [string, string | undefined] {
  const i = entry.indexOf(':');
  if (i < 0) return [entry, undefined];
  const scope = entry.slice(i + 1);
  return [entry.slice(0, i), scope === '' ? undefined : scope];
}

let table: Map<string, EndpointPolicy> | null = null;

/** The code-enforced policy of `METHOD /template`, from the two TSV files. */
export function endpointPolicy(method: string, template: string): EndpointPolicy {
  table ??= loadTable();
  return table.get(`${method} ${template}`) ?? { kind: 'unknown' };
}

function loadTable(): Map<string, EndpointPolicy> {
  const map = new Map<string, EndpointPolicy>();
  const read = (file: string, policyColumn: string): void => {
    const [header, ...rows] = fs.readFileSync(path.join(SHARED, file), 'utf8').trim().split('\n');
    const cols = (header ?? '').split('\t');
    const at = (name: string): number => cols.findIndex((c) => c.startsWith(name));
    const iMethod = at('method');
    const iPath = at('path');
    const iPolicy = at(policyColumn);
    for (const row of rows) {
      const cells = row.split('\t');
      const key = `${cells[iMethod]} ${cells[iPath]}`;
      map.set(key, parsePolicy(cells[iPolicy] ?? ''));
    }
  };
  read('permissions-crosscheck.tsv', 'controller_policy');
  // The POS and rewards list is the narrower, later look at the same code: it wins on overlap.
  read('endpoints.pos-rewards.tsv', 'controller_policy');
  return map;
}

function parsePolicy(cell: string): EndpointPolicy {
  const value = cell.trim().replace(/:$/, '');
  if (value === '(anonymous)' || value === '(none/public)') return { kind: 'anonymous' };
  if (value === '(any authenticated)' || value === '(any key)') return { kind: 'authenticated' };
  if (value === 'unrestricted') return { kind: 'policy', policy: 'unrestricted' };
  if (/^btcpay\.[a-z.]+$/.test(value)) return { kind: 'policy', policy: value };
  return { kind: 'unknown' };
}
