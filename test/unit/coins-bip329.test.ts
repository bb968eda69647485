import { describe, expect, it } from 'vitest';
import { formatBip329, normalizeRef, parseBip329, walletOrigin } from '../../main/bitcoin/coins/bip329';

// The test vectors of BIP329 (bitcoin/bips, bip-0329.mediawiki), verbatim.
const BIP329_VECTORS = [
  `{ "type": "tx", "ref": "f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd", "label": "Transaction", "origin": "wpkh([d34db33f/84'/0'/0'])" }`,
  `{ "type": "addr", "ref": "bc1q34aq5drpuwy3wgl9lhup9892qp6svr8ldzyy7c", "label": "Address" }`,
  `{ "type": "pubkey", "ref": "0283409659355b6d1cc3c32decd5d561abaac86c37a353b52895a5e6c196d6f448", "label": "Public Key" }`,
  `{ "type": "input", "ref": "f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd:0", "label": "Input" }`,
  `{ "type": "output", "ref": "f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd:1", "label": "Output", "spendable": false }`,
  `{ "type": "xpub", "ref": "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8", "label": "Extended Public Key" }`,
  `{ "type": "tx", "ref": "f546156d9044844e02b181026a1a407abfca62e7ea1159f87bbeaa77b4286c74", "label": "Account #1 Transaction", "origin": "wpkh([d34db33f/84'/0'/1'])" }`,
];

describe('BIP329 labels', () => {
  it('parses every BIP329 test vector and writes back the same records', () => {
    const parsed = parseBip329(BIP329_VECTORS.join('\n'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records.map((r) => r.record.type)).toEqual([
      'tx',
      'addr',
      'pubkey',
      'input',
      'output',
      'xpub',
      'tx',
    ]);
    expect(parsed.records[4]?.record).toEqual({
      type: 'output',
      ref: 'f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd:1',
      label: 'Output',
      spendable: false,
    });
    expect(parsed.records[0]?.record.origin).toBe("wpkh([d34db33f/84'/0'/0'])");
    // Round trip: our output re-parses to the same records, and each line equals the vector's JSON.
    const out = parsed.records.map((r) => formatBip329(r.record));
    out.forEach((line, i) => expect(JSON.parse(line)).toEqual(JSON.parse(BIP329_VECTORS[i] as string)));
    expect(parseBip329(out.join('\n')).records.map((r) => r.record)).toEqual(
      parsed.records.map((r) => r.record),
    );
  });

  it('reports bad lines with their 1-based numbers and keeps the good ones', () => {
    const txid = 'a'.repeat(64);
    const text = [
      `{"type":"tx","ref":"${txid}","label":"rent"}`, // 1 ok
      `not json`, // 2
      ``, // 3 blank: ignored
      `{"type":"tx","ref":"xyz","label":"bad ref"}`, // 4
      `{"type":"output","ref":"${txid}:0","spendable":"false"}`, // 5 string, not boolean
      `{"type":"future","ref":"x","label":"?"}`, // 6 unknown type: warning, skipped
      `{"ref":"${txid}","label":"no type"}`, // 7
      `[1,2]`, // 8
      `{"type":"tx","ref":"${txid.toUpperCase()}"}`, // 9 nothing to store: skipped
      `{"type":"addr","ref":"bcrt1qexample0000000000000","label":"${'x'.repeat(300)}"}\r`, // 10 truncated
    ].join('\n');
    const parsed = parseBip329(text);
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 4, 5, 7, 8]);
    expect(parsed.warnings.map((w) => w.line)).toEqual([6, 10]);
    expect(parsed.records.map((r) => r.line)).toEqual([1, 10]);
    expect(parsed.records[1]?.record.label).toHaveLength(255);
    expect(parsed.skipped).toBe(2);
  });

  it('canonicalises references and builds our key origin', () => {
    expect(normalizeRef('output', `${'AB'.repeat(32)}:07`)).toBe(`${'ab'.repeat(32)}:7`);
    expect(normalizeRef('output', `${'ab'.repeat(32)}`)).toBeNull();
    expect(normalizeRef('addr', 'BCRT1QABCDEFGHJKLMNPQ')).toBe('bcrt1qabcdefghjklmnpq');
    expect(normalizeRef('pubkey', '02ab')).toBeNull();
    expect(walletOrigin('D34DB33F', "m/84'/1'/0'")).toBe("wpkh([d34db33f/84'/1'/0'])");
  });
});
