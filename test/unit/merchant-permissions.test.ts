import { describe, expect, it } from 'vitest';
import { checkFeatures, grants } from '../../main/merchant/permissions';

const STORE = 'Store1';

describe('what a BTCPay key allows, by BTCPay’s policy tree', () => {
  it('unrestricted allows everything', () => {
    expect(checkFeatures(['unrestricted'], STORE).every((f) => f.ok)).toBe(true);
  });

  it('modify-store-settings includes invoices, pull payments and viewing the store', () => {
    const perms = ['btcpay.store.canmodifystoresettings'];
    expect(grants(perms, 'btcpay.store.cancreateinvoice', STORE)).toBe(true);
    expect(grants(perms, 'btcpay.store.canviewinvoices', STORE)).toBe(true);
    expect(grants(perms, 'btcpay.store.cancreatenonapprovedpullpayments', STORE)).toBe(true);
    expect(checkFeatures(perms, STORE).every((f) => f.ok)).toBe(true);
  });

  it('a cashier key lacks refunds and setup, named by permission', () => {
    const checks = checkFeatures(
      [`btcpay.store.cancreateinvoice:${STORE}`, `btcpay.store.canviewstoresettings:${STORE}`],
      STORE,
    );
    expect(checks).toEqual([
      { feature: 'cashier', ok: true, missing: [] },
      { feature: 'rewardsRefunds', ok: false, missing: ['btcpay.store.cancreatepullpayments'] },
      { feature: 'setup', ok: false, missing: ['btcpay.store.canmodifystoresettings'] },
    ]);
  });

  it('a permission scoped to another store does not count for this one', () => {
    const perms = ['btcpay.store.canmodifystoresettings:OtherStore'];
    expect(grants(perms, 'btcpay.store.cancreateinvoice', STORE)).toBe(false);
    // Before a store is picked, any scope counts.
    expect(grants(perms, 'btcpay.store.cancreateinvoice', null)).toBe(true);
    // `policy:` with an empty scope means every store (BTCPay's CanModifyStoreSettingsUnscoped).
    expect(grants(['btcpay.store.canmodifystoresettings:'], 'btcpay.store.canviewinvoices', STORE)).toBe(
      true,
    );
  });

  it('non-approved pull payments do not give the approved kind', () => {
    expect(
      grants(['btcpay.store.cancreatenonapprovedpullpayments'], 'btcpay.store.cancreatepullpayments', STORE),
    ).toBe(false);
  });
});
