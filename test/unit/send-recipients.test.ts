import { networks, payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { AddressError } from '../../shared/bitcoin/address';
import type { Translate } from '../../renderer/i18n/translate-types';
import type { RecipientValues } from '../../renderer/features/send/recipients';
import { checkRecipients, newRecipient } from '../../renderer/features/send/recipients';
import { selectedTotal } from '../../renderer/features/send/coin-choice';
import type { Utxo } from '../../shared/contract/coins';

const A = payments.p2wpkh({ hash: new Uint8Array(20).fill(1), network: networks.regtest }).address!;
const B = payments.p2wpkh({ hash: new Uint8Array(20).fill(2), network: networks.regtest }).address!;

/** Stands in for the translator: the key plus its variables, so tests read which message it is. */
const t = ((key: string, vars?: Record<string, string | number>) =>
  vars ? `${key} ${JSON.stringify(vars)}` : key) as Translate;
const addressError = (err: unknown) => (err instanceof AddressError ? `address.${err.reason}` : 'other');

function row(patch: Partial<RecipientValues>): RecipientValues {
  return { ...newRecipient(), ...patch };
}

const check = (rows: RecipientValues[]) => checkRecipients(rows, 'regtest', '.', t, addressError);

describe('send form recipients', () => {
  it('accepts several rows in BTC and sats, one of them sending the maximum', () => {
    const result = check([
      row({ to: A, amount: '0.0009' }),
      row({ to: ` ${B} `, amount: '50000', unit: 'sats' }),
      row({
        to: payments.p2wpkh({ hash: new Uint8Array(20).fill(3), network: networks.regtest }).address!,
        max: true,
      }),
    ]);
    expect(result.map((r) => [r.sats, r.toError, r.amountError])).toEqual([
      [90_000, null, null],
      [50_000, null, null],
      [null, null, null],
    ]);
    expect(result[1]?.address).toBe(B);
  });

  it('names what is wrong in each row', () => {
    const result = check([
      row({ to: '', amount: '' }),
      row({ to: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', amount: '0.123456789' }),
      row({ to: A, amount: '12.5', unit: 'sats' }),
      row({ to: A, amount: '1000', unit: 'sats' }),
      row({ to: `bitcoin:${B}?amount=0.001`, amount: '-1' }),
    ]);
    expect(result.map((r) => [r.toError, r.amountError])).toEqual([
      ['send.form.toRequired', 'send.form.amountRequired'],
      ['address.WRONG_NETWORK', 'send.form.amountInvalidBtc'],
      [null, 'send.form.amountInvalidSats'],
      ['sendtools.form.duplicateAddress {"row":3}', null],
      [null, 'send.form.amountInvalidBtc'],
    ]);
    expect(result[3]?.address).toBeNull();
    expect(result[4]?.address).toBe(B);
  });

  it('lets only the first "send max" row take the maximum', () => {
    const result = check([row({ to: A, max: true }), row({ to: B, max: true })]);
    expect(result.map((r) => r.amountError)).toEqual([null, 'sendtools.form.oneMax']);
  });

  it('totals only the chosen coins that exist and are not frozen', () => {
    const coin = (outpoint: string, sats: number, frozen = false) => ({ outpoint, sats, frozen }) as Utxo;
    const coins = [coin('a:0', 100_000), coin('b:1', 60_000), coin('c:2', 40_000, true)];
    expect(selectedTotal(coins, ['a:0', 'c:2', 'gone:0'])).toBe(100_000);
    expect(selectedTotal(coins, ['a:0', 'b:1'])).toBe(160_000);
    expect(selectedTotal(undefined, ['a:0'])).toBe(0);
  });
});
