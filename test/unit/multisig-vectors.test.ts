import { hex } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { parseMultisigDescriptor, serializeMultisigDescriptor } from '../../main/bitcoin/multisig/descriptor';
import { readBsms } from '../../main/bitcoin/multisig/formats';
import { policyFromDescriptorText } from '../../main/bitcoin/multisig/policy';
import { addressOfScript, multisigScriptsAt } from '../../main/bitcoin/multisig/scripts';
import { toWalletPolicy, walletPolicyToDescriptor } from '../../main/bitcoin/multisig/wallet-policy';

const scriptAt = (text: string, index = 0, choice = 0) =>
  hex.encode(multisigScriptsAt(parseMultisigDescriptor(text), choice, index).scriptPubKey);

describe('BIP383 test vectors (multi, sortedmulti)', () => {
  it('uncompressed and compressed keys, written in either order under sortedmulti', () => {
    const script =
      '512103a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd4104a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea23552ae';
    expect(
      scriptAt(
        'multi(1,03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd,04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235)',
      ),
    ).toBe(script);
    expect(
      scriptAt(
        'sortedmulti(1,04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235,03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)',
      ),
    ).toBe(script);
  });

  it('sortedmulti of two xpubs with different steps: the 0th, 1st and 2nd scripts', () => {
    const d =
      'sortedmulti(2,xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL/*,xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y/0/0/*)';
    expect([0, 1, 2].map((i) => scriptAt(d, i))).toEqual([
      '5221025d5fc65ebb8d44a5274b53bac21ff8307fec2334a32df05553459f8b1f7fe1b62102fbd47cc8034098f0e6a94c6aeee8528abf0a2153a5d8e46d325b7284c046784652ae',
      '52210264fd4d1f5dea8ded94c61e9641309349b62f27fbffe807291f664e286bfbe6472103f4ece6dfccfa37b211eb3d0af4d0c61dba9ef698622dc17eecdf764beeb005a652ae',
      '5221022ccabda84c30bad578b13c89eb3b9544ce149787e5b538175b1d1ba259cbb83321024d902e1a2fc7a8755ab5b694c575fce742c48d9ff192e63df5193e4c7afe1f9c52ae',
    ]);
  });

  const SIXTEEN = [
    '03669b8afcec803a0d323e9a17f3ea8e68e8abe5a278020a929adbec52421adbd0',
    '0260b2003c386519fc9eadf2b5cf124dd8eea4c4e68d5e154050a9346ea98ce600',
    '0362a74e399c39ed5593852a30147f2959b56bb827dfa3e60e464b02ccf87dc5e8',
    '0261345b53de74a4d721ef877c255429961b7e43714171ac06168d7e08c542a8b8',
    '02da72e8b46901a65d4374fe6315538d8f368557dda3a1dcf9ea903f3afe7314c8',
    '0318c82dd0b53fd3a932d16e0ba9e278fcc937c582d5781be626ff16e201f72286',
    '0297ccef1ef99f9d73dec9ad37476ddb232f1238aff877af19e72ba04493361009',
    '02e502cfd5c3f972fe9a3e2a18827820638f96b6f347e54d63deb839011fd5765d',
    '03e687710f0e3ebe81c1037074da939d409c0025f17eb86adb9427d28f0f7ae0e9',
    '02c04d3a5274952acdbc76987f3184b346a483d43be40874624b29e3692c1df5af',
    '02ed06e0f418b5b43a7ec01d1d7d27290fa15f75771cb69b642a51471c29c84acd',
    '036d46073cbb9ffee90473f3da429abc8de7f8751199da44485682a989a4bebb24',
    '02f5d1ff7c9029a80a4e36b9a5497027ef7f3e73384a4a94fbfe7c4e9164eec8bc',
    '02e41deffd1b7cce11cde209a781adcffdabd1b91c0ba0375857a2bfd9302419f3',
    '02d76625f7956a7fc505ab02556c23ee72d832f1bac391bcd2d3abce5710a13d06',
    '0399eb0a5487515802dc14544cf10b3666623762fbed2ec38a3975716e2c29c232',
  ].join(',');

  it('sh(wsh(multi(16, …))) of plain keys', () => {
    expect(scriptAt(`sh(wsh(multi(16,${SIXTEEN})))`)).toBe('a9147fc63e13dc25e8a95a3cee3d9a714ac3afd96f1e87');
  });

  it('invalid: 16 keys in P2SH, a threshold that is not a number, zero, or above the keys, private keys', () => {
    expect(() => parseMultisigDescriptor(`sh(multi(16,${SIXTEEN}))`)).toThrow(/at most 15/);
    const two =
      '03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd,04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235';
    expect(() => parseMultisigDescriptor(`multi(a,${two})`)).toThrow(
      expect.objectContaining({ code: 'DESCRIPTOR_INVALID' }),
    );
    expect(() => parseMultisigDescriptor(`multi(0,${two})`)).toThrow(
      expect.objectContaining({ code: 'DESCRIPTOR_INVALID' }),
    );
    expect(() =>
      parseMultisigDescriptor(
        'multi(3,L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1,5KYZdUEo39z3FPrtuX2QbbwGnNP5zTd7yyr2SC1j299sBCnWjss)',
      ),
    ).toThrow(/can never be found/);
    expect(() =>
      parseMultisigDescriptor(
        'multi(1,L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1,5KYZdUEo39z3FPrtuX2QbbwGnNP5zTd7yyr2SC1j299sBCnWjss)',
      ),
    ).toThrow(expect.objectContaining({ code: 'XPUB_IS_PRIVATE' }));
  });
});

describe('BIP389 test vectors (multipath)', () => {
  const X1 =
    'xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL';
  const X2 =
    'xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y';
  const X3 =
    'xpub661MyMwAqRbcGDZQUKLqmWodYLcoBQnQH33yYkkF3jjxeLvY8qr2wWGEWkiKFaaQfJCoi3HeEq3Dc5DptfbCyjD38fNhSqtKc1UHaP4ba3t';
  const expand = (text: string) => {
    const d = parseMultisigDescriptor(text);
    return Array.from({ length: d.width }, (_, choice) =>
      serializeMultisigDescriptor(d, { choice, checksum: false }),
    );
  };

  it('multi(2, …/<1;2>/*, …/<3;4>/0/*) expands into two descriptors', () => {
    expect(expand(`multi(2,${X1}/<1;2>/*,${X2}/<3;4>/0/*)`)).toEqual([
      `multi(2,${X1}/1/*,${X2}/3/0/*)`,
      `multi(2,${X1}/2/*,${X2}/4/0/*)`,
    ]);
  });

  it('sh(multi(2, …)) with a three-way multipath in two keys expands into three', () => {
    expect(expand(`sh(multi(2,${X1}/<1;2;3>/0/*,${X2}/0/*,${X3}/0/0/<3;4;5>/*))`)).toEqual([
      `sh(multi(2,${X1}/1/0/*,${X2}/0/*,${X3}/0/0/3/*))`,
      `sh(multi(2,${X1}/2/0/*,${X2}/0/*,${X3}/0/0/4/*))`,
      `sh(multi(2,${X1}/3/0/*,${X2}/0/*,${X3}/0/0/5/*))`,
    ]);
  });

  it('invalid: two multipath steps in a key, one in an origin, lengths that differ, empty or broken ones', () => {
    const bad = [
      `wsh(sortedmulti(1,${X1}/<0;1>/<2;3>))`,
      `wsh(sortedmulti(1,[deadbeef/<0;1>]${X1}/0))`,
      `wsh(sortedmulti(1,${X1}/<6;7;8;9>/*,${X2}/<1;2;3>/0/*))`,
      `wsh(sortedmulti(1,${X1}/<>/*))`,
      `wsh(sortedmulti(1,${X1}/0>/*))`,
      `wsh(sortedmulti(1,${X1}/<0/*))`,
      `wsh(sortedmulti(1,${X1}/<0;>/*))`,
    ];
    for (const text of bad)
      expect(() => parseMultisigDescriptor(text), text).toThrow(
        expect.objectContaining({ code: 'DESCRIPTOR_INVALID' }),
      );
  });
});

describe('BIP388 test vectors (wallet policies)', () => {
  const K1 =
    "[6738736c/48'/0'/0'/2']xpub6FC1fXFP1GXLX5TKtcjHGT4q89SDRehkQLtbKJ2PzWcvbBHtyDsJPLtpLtkGqYNYZdVVAjRQ5kug9CsapegmmeRutpP7PW4u4wVF9JfkDhw";
  const K2 =
    "[b2b1f0cf/48'/0'/0'/2']xpub6EWhjpPa6FqrcaPBuGBZRJVjzGJ1ZsMygRF26RwN932Vfkn1gyCiTbECVitBjRCkexEvetLdiqzTcYimmzYxyR1BZ79KNevgt61PDcukmC7";
  const DESCRIPTOR = `wsh(sortedmulti(2,${K1}/<0;1>/*,${K2}/<0;1>/*))`;

  it('BIP48 P2WSH multisig: template and keys give the descriptor, and the descriptor gives them back', () => {
    expect(walletPolicyToDescriptor('wsh(sortedmulti(2,@0/**,@1/**))', [K1, K2]).split('#')[0]).toBe(
      DESCRIPTOR,
    );
    const { policy } = policyFromDescriptorText(DESCRIPTOR, 'mainnet');
    expect(toWalletPolicy(policy)).toEqual({ template: 'wsh(sortedmulti(2,@0/**,@1/**))', keys: [K1, K2] });
  });

  it('invalid templates', () => {
    const x =
      'xpub6AHA9hZDN11k2ijHMeS5QqHx2KP9aMBRhTDqANMnwVtdyw2TDYRmF8PjpvwUFcL1Et8Hj59S3gTSMcUQ5gAqTz3Wd8EsMTmF3DChhqPQBnU';
    const cases: [string, string[]][] = [
      ['sh(multi(1,@0,@1/**))', [K1, K2]],
      ['sh(multi(1,@0/0/**,@1/**))', [K1, K2]],
      ['sh(multi(1,@1/**,@0/**))', [K1, K2]],
      ['sh(multi(1,@0/**,@2/**))', [K1, K2, K1]],
      ['sh(multi(1,@0/**,@0/**))', [K1]],
      ['sh(multi(1,@0/<0;1>/*,@0/<1;2>/*))', [K1]],
      [`sh(multi(1,@0/**,${x}/<0;1>/*))`, [K1]],
      ['sh(multi(1,@0/<0;1;2>/*))', [K1]],
    ];
    for (const [template, keys] of cases) {
      expect(() => walletPolicyToDescriptor(template, keys), template).toThrow(
        expect.objectContaining({ code: 'DESCRIPTOR_INVALID' }),
      );
    }
  });
});

describe('BIP129 test vectors (BSMS 1.0 descriptor records)', () => {
  it('NO_ENCRYPTION with xpubs: the record imports and its first address checks out', () => {
    const record = [
      'BSMS 1.0',
      "wsh(sortedmulti(2,[1cf0bf7e/48'/0'/0'/2']xpub6FL8FhxNNUVnG64YurPd16AfGyvFLhh7S2uSsDqR3Qfcm6o9jtcMYwh6DvmcBF9qozxNQmTCVvWtxLpKTnhVLN3Pgnu2D3pAoXYFgVyd8Yz/**,[4fc1dd4a/48'/0'/0'/2']xpub6EebMbEps7ZcV3FYEnddRsvrFWDrt2tiPmCeM7pPXQEmphvq9ZfJ1LWFUDjf3vxCeBuPrfyGrMazWUsYsetrnHatQZVLJH7LsgCjtMqdzgj/**))",
      '/0/*,/1/*',
      'bc1qrgc6p3kylfztu06ysl752gwwuekhvtfh9vr7zg43jvu60mutamcsv948ej',
    ].join('\n');
    const file = readBsms(record, 'mainnet');
    expect(file.policy.threshold).toBe(2);
    expect(file.policy.keys.map((k) => k.fingerprint)).toEqual(['1cf0bf7e', '4fc1dd4a']);
    // A changed address line is caught.
    expect(() => readBsms(record.replace('948ej', '948ek'), 'mainnet')).toThrow(
      expect.objectContaining({ code: 'MULTISIG_INVALID' }),
    );
  });

  it('NO_ENCRYPTION with plain keys: the descriptor (checksum rzx9dffd) gives the record’s first address', () => {
    const d = parseMultisigDescriptor(
      "wsh(sortedmulti(1,[59865f44/48'/0'/0'/2']026d15412460ba0d881c21837bb999233896085a9ed4e5445bd637c10e579768ba,[b7044ca6/48'/0'/0'/2']030baf0497ab406ff50cb48b4013abac8a0338758d2fd54cd934927afa57cc2062))#rzx9dffd",
    );
    expect(d.checksumProvided).toBe(true);
    expect(addressOfScript(multisigScriptsAt(d, 0, 0).scriptPubKey, 'mainnet')).toBe(
      'bc1quqy523xu3l8che3s8vja8n33qtg0uyugr9l5z092s3wa50p8t7rqy6zumf',
    );
  });
});
