import type { FeatureCheck, MerchantFeature } from '../../shared/contract/merchant';
import { MERCHANT_FEATURES } from '../../shared/contract/merchant';

/**
 * What each part of the counter needs from a BTCPay API key, by the policies BTCPay's code
 * enforces on the endpoints it calls (../shared/btcpay/endpoints.pos-rewards.tsv, column
 * controller_policy):
 * - cashier: read the store and its rates (canviewstoresettings), create invoices and read them
 *   back (cancreateinvoice, canviewinvoices);
 * - rewards and refunds: refunds and reward pull payments paid without a manual approval
 *   (cancreatepullpayments, which includes the non-approved kind and viewing them);
 * - setup: list the store's apps, manage webhooks (canmodifystoresettings).
 */
export const FEATURE_PERMISSIONS: Record<MerchantFeature, readonly string[]> = {
  cashier: [
    'btcpay.store.canviewstoresettings',
    'btcpay.store.cancreateinvoice',
    'btcpay.store.canviewinvoices',
  ],
  rewardsRefunds: ['btcpay.store.cancreatepullpayments', 'btcpay.store.canviewinvoices'],
  setup: ['btcpay.store.canmodifystoresettings'],
};

/** BTCPay's policy tree (BTCPayServerServices.AddPolicyDefinitions): what each permission includes. */
const INCLUDES: Record<string, readonly string[]> = {
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
  'btcpay.store.canmodifyinvoices': [
    'btcpay.store.canviewinvoices',
    'btcpay.store.cancreateinvoice',
    'btcpay.store.cancreatelightninginvoice',
  ],
  'btcpay.store.canviewstoresettings': [
    'btcpay.store.canviewinvoices',
    'btcpay.store.canviewpaymentrequests',
    'btcpay.store.canviewreports',
    'btcpay.store.canviewpullpayments',
    'btcpay.store.canviewpayouts',
  ],
  'btcpay.store.canmanagepullpayments': [
    'btcpay.store.cancreatepullpayments',
    'btcpay.store.canarchivepullpayments',
  ],
  'btcpay.store.cancreatepullpayments': ['btcpay.store.cancreatenonapprovedpullpayments'],
  'btcpay.store.cancreatenonapprovedpullpayments': ['btcpay.store.canviewpullpayments'],
  'btcpay.store.canmanagepayouts': ['btcpay.store.canviewpayouts'],
  'btcpay.store.canuselightningnode': [
    'btcpay.store.canviewlightninginvoice',
    'btcpay.store.cancreatelightninginvoice',
  ],
  'btcpay.store.cancreatelightninginvoice': ['btcpay.store.canviewlightninginvoice'],
  'btcpay.store.canmodifypaymentrequests': ['btcpay.store.canviewpaymentrequests'],
};

function implied(permission: string): Set<string> {
  const out = new Set([permission]);
  const queue = [permission];
  while (queue.length > 0) {
    for (const child of INCLUDES[queue.pop() as string] ?? []) {
      if (!out.has(child)) {
        out.add(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/**
 * Whether the key's permissions grant `policy` on `storeId` (null: on some store). Permissions
 * look like `btcpay.store.cancreateinvoice` (every store of the user) or
 * `btcpay.store.cancreateinvoice:STOREID` (one store); `unrestricted` grants everything.
 */
export function grants(permissions: readonly string[], policy: string, storeId: string | null): boolean {
  for (const entry of permissions) {
    if (entry === 'unrestricted') return true;
    const colon = entry.indexOf(':');
    const name = colon < 0 ? entry : entry.slice(0, colon);
    const scope = colon < 0 || colon === entry.length - 1 ? null : entry.slice(colon + 1);
    if (!implied(name).has(policy)) continue;
    if (scope === null || storeId === null || scope === storeId) return true;
  }
  return false;
}

export function checkFeatures(permissions: readonly string[], storeId: string | null): FeatureCheck[] {
  return MERCHANT_FEATURES.map((feature) => {
    const missing = FEATURE_PERMISSIONS[feature].filter((p) => !grants(permissions, p, storeId));
    return { feature, ok: missing.length === 0, missing };
  });
}

/** Every permission the counter may ask for on BTCPay's authorize page. */
export function permissionsToRequest(): string[] {
  return ['btcpay.store.canmodifystoresettings', 'btcpay.store.cancreatepullpayments'];
}
