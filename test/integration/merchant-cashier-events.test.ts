import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../shared/contract/events';
import { CASHIER_EVENTS } from '../../main/api/cashier-policy';
import type { FlashCore } from '../../main/core/container';
import { startTestCore } from '../support/core';
import type { ConnectedClient } from '../support/transports';
import { connectOverIpc, connectOverWebSocket } from '../support/transports';
import { until } from '../support/wait';

/**
 * While cashier mode is on, events of other areas (a deposit, a message, a payment) never reach
 * the renderer, over either transport; the counter's own events still do, and everything flows
 * again once the manager leaves the mode.
 */

const PASSWORD = 'correct horse battery';
let core: FlashCore;

beforeEach(async () => {
  core = startTestCore();
  expect((await core.dispatcher.dispatch('vault.setup', { password: PASSWORD })).ok).toBe(true);
  expect((await core.dispatcher.dispatch('merchant.setCashierPin', { pin: '2468' })).ok).toBe(true);
});

afterEach(() => core.stop());

describe('events at the counter', () => {
  it('lets through only the counter’s and the shell’s events', () => {
    for (const e of CASHIER_EVENTS) expect(EVENT_NAMES).toContain(e);
    for (const e of EVENT_NAMES) {
      const area = e.split('.')[0];
      if (area === 'merchant') expect(CASHIER_EVENTS.has(e), e).toBe(true);
      if (['deposit', 'wallet', 'sync', 'nostr', 'lightning', 'ecash', 'nwc', 'zaps'].includes(area ?? ''))
        expect(CASHIER_EVENTS.has(e), e).toBe(false);
    }
  });

  it.each([
    ['Electron IPC', connectOverIpc],
    ['the browser-mode WebSocket', connectOverWebSocket],
  ] as const)(
    'over %s: other areas’ events are held back while cashier mode is on',
    async (_name, connect) => {
      const conn: ConnectedClient = await connect(core);
      const heard: string[] = [];
      for (const e of ['wallet.updated', 'deposit.detected', 'merchant.status', 'merchant.display'] as const)
        conn.client.on(e, () => heard.push(e));
      const deposit = { walletId: 'w1', txid: 'a'.repeat(64), amountSats: 5000, confirmed: false };

      core.bus.emit('wallet.updated', { walletId: 'w1' });
      await until('heard while open', () => heard.includes('wallet.updated') || null);

      expect((await conn.client.merchant.enterCashierMode({})).ok).toBe(true);
      await until('the mode change is heard', () => heard.includes('merchant.status') || null);
      heard.length = 0;
      core.bus.emit('wallet.updated', { walletId: 'w1' });
      core.bus.emit('deposit.detected', deposit);
      const display = (await core.dispatcher.dispatch('merchant.getDisplay', {})) as {
        ok: true;
        value: never;
      };
      core.bus.emit('merchant.display', display.value);
      await until('the counter’s event arrives', () => heard.includes('merchant.display') || null);
      // Events go out in order: the two emitted before it were dropped, not late.
      expect(heard).toEqual(['merchant.display']);

      expect((await conn.client.merchant.leaveCashierMode({ pin: '2468' })).ok).toBe(true);
      heard.length = 0;
      core.bus.emit('deposit.detected', deposit);
      await until('heard again after leaving', () => heard.includes('deposit.detected') || null);
      await conn.close();
    },
  );
});
