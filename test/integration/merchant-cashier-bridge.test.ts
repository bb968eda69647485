import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/contract';
import { CASHIER_ALLOWED } from '../../main/api/cashier-policy';
import type { FlashCore } from '../../main/core/container';
import { startTestCore } from '../support/core';

const PASSWORD = 'correct horse battery';

let core: FlashCore;

beforeEach(async () => {
  core = startTestCore();
  const setup = await core.dispatcher.dispatch('vault.setup', { password: PASSWORD });
  expect(setup.ok).toBe(true);
});

afterEach(() => core.stop());

const call = (method: string, input: unknown = {}) => core.dispatcher.dispatch(method, input);

describe('cashier mode is enforced by the dispatcher, not just the UI', () => {
  it('refuses every method outside the counter while the mode is on, and nothing after leaving it', async () => {
    expect((await call('wallet.list')).ok).toBe(true);
    expect((await call('merchant.setCashierPin', { pin: '2468' })).ok).toBe(true);
    expect((await call('merchant.enterCashierMode')).ok).toBe(true);

    // What a customer at the unlocked counter would try: the wallet, sending, messages, settings.
    for (const [method, input] of [
      ['wallet.list', {}],
      ['wallet.getOverview', { walletId: 'w1' }],
      ['send.prepare', { walletId: 'w1', outputs: [], feeRate: 1 }],
      ['nostr.listConversations', {}],
      ['nostr.getMessages', { conversationId: 'x' }],
      ['settings.update', { theme: 'dark' }],
      ['vault.revealRecoveryWords', { walletId: 'w1', password: PASSWORD }],
      ['lightning.confirm', {}],
      ['merchant.refund', { invoiceId: 'abc', variant: 'RateThen' }],
      ['merchant.disconnect', {}],
      ['merchant.setCashierPin', { pin: '0000' }],
    ] as const) {
      const r = await call(method, input);
      expect(r, method).toMatchObject({ ok: false, error: { code: 'MERCHANT_CASHIER_LOCKED' } });
    }
    // Every method outside the allowlist, whatever its input (refused before parsing).
    for (const method of METHOD_NAMES.filter((m) => !CASHIER_ALLOWED.has(m))) {
      const r = await call(method, { anything: true });
      expect(r.ok ? 'ran' : r.error.code, method).toBe('MERCHANT_CASHIER_LOCKED');
    }
    // The counter's own methods still answer.
    const status = await call('merchant.getStatus');
    expect(status).toMatchObject({ ok: true, value: { cashierMode: true, pinSet: true } });
    expect((await call('app.getState')).ok).toBe(true);
    expect((await call('merchant.getDisplay')).ok).toBe(true);
    // Without a store the counter answers its own typed error, not the cashier lock.
    expect(await call('merchant.getCounter')).toMatchObject({
      ok: false,
      error: { code: 'MERCHANT_NOT_CONNECTED' },
    });

    expect(await call('merchant.leaveCashierMode', { pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'MERCHANT_WRONG_PIN' },
    });
    expect((await call('wallet.list')).ok).toBe(false);
    expect((await call('merchant.leaveCashierMode', { password: PASSWORD })).ok).toBe(true);
    expect((await call('wallet.list')).ok).toBe(true);
    expect((await call('nostr.listConversations')).ok).toBe(true);
  });

  it('stays on across a restart of the app (the mode is kept in the profile)', async () => {
    expect((await call('merchant.enterCashierMode')).ok).toBe(true);
    const dataDir = (core as FlashCore & { dataDir: string }).dataDir;
    core.stop();
    core = startTestCore({ dataDir });
    expect(await call('wallet.list')).toMatchObject({
      ok: false,
      error: { code: 'MERCHANT_CASHIER_LOCKED' },
    });
    // The password unlocks the vault (allowed) and then leaves the mode.
    expect((await call('vault.unlock', { password: PASSWORD })).ok).toBe(true);
    expect((await call('merchant.leaveCashierMode', { password: PASSWORD })).ok).toBe(true);
    expect((await call('wallet.list')).ok).toBe(true);
  });
});
