import { describe, expect, it } from 'vitest';
import {
  createBlindSignature,
  createDLEQProof,
  deriveSecretAndBlindingFactor,
  getDecodedToken,
  getEncodedToken,
  hashToCurve,
  hasValidDleq,
  pointFromHex,
} from '@cashu/cashu-ts';
import { mnemonicToSeedSync } from '@scure/bip39';
import { decodeTokenText, lockKeyFrom, tokenQr } from '../../main/ecash/tokens';
import { enforceSpendingConditions, verifyMintRequestSignature } from '../stack/cashu/conditions';

/** Test vectors copied from cashubtc/nuts tests/00, 11, 12, 13 and 20. */

describe('NUT-00 vectors', () => {
  it('hash_to_curve', () => {
    const h = (hex: string) => hashToCurve(Buffer.from(hex, 'hex')).toHex(true);
    expect(h('0000000000000000000000000000000000000000000000000000000000000000')).toBe(
      '024cce997d3b518f739663b757deaec95bcd9473c30a14ac2fd04023a739d1a725',
    );
    expect(h('0000000000000000000000000000000000000000000000000000000000000001')).toBe(
      '022e7158e11c9506f1aa4248bf531298daa7febd6194f003edcd9b93ade6253acf',
    );
    expect(h('0000000000000000000000000000000000000000000000000000000000000002')).toBe(
      '026cdbe15362df59cd1dd3c9c11de8aedac2106eca69236ecd9fbe117af897be4f',
    );
  });

  it('blind signatures C_ = k·B_ (the mint stand-in signs with createBlindSignature)', () => {
    const B_ = pointFromHex('02a9acc1e48c25eeeb9289b5031cc57da9fe72f3fe2861d264bdc074209b107ba2');
    const k2 = Buffer.from('7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f', 'hex');
    expect(createBlindSignature(B_, k2, '00').C_.toHex(true)).toBe(
      '0398bc70ce8184d27ba89834d19f5199c84443c31131e48d3c1214db24247d005d',
    );
  });

  const V4_SINGLE =
    'cashuBpGF0gaJhaUgArSaMTR9YJmFwgaNhYQFhc3hAOWE2ZGJiODQ3YmQyMzJiYTc2ZGIwZGYxOTcyMTZiMjlkM2I4Y2MxNDU1M2NkMjc4MjdmYzFjYzk0MmZlZGI0ZWFjWCEDhhhUP_trhpXfStS6vN6So0qWvc2X3O4NfM-Y1HISZ5JhZGlUaGFuayB5b3VhbXVodHRwOi8vbG9jYWxob3N0OjMzMzhhdWNzYXQ=';
  const V4_MULTI =
    'cashuBo2F0gqJhaUgA_9SLj17PgGFwgaNhYQFhc3hAYWNjMTI0MzVlN2I4NDg0YzNjZjE4NTAxNDkyMThhZjkwZjcxNmE1MmJmNGE1ZWQzNDdlNDhlY2MxM2Y3NzM4OGFjWCECRFODGd5IXVW-07KaZCvuWHk3WrnnpiDhHki6SCQh88-iYWlIAK0mjE0fWCZhcIKjYWECYXN4QDEzMjNkM2Q0NzA3YTU4YWQyZTIzYWRhNGU5ZjFmNDlmNWE1YjRhYzdiNzA4ZWIwZDYxZjczOGY0ODMwN2U4ZWVhY1ghAjRWqhENhLSsdHrr2Cw7AFrKUL9Ffr1XN6RBT6w659lNo2FhAWFzeEA1NmJjYmNiYjdjYzY0MDZiM2ZhNWQ1N2QyMTc0ZjRlZmY4YjQ0MDJiMTc2OTI2ZDNhNTdkM2MzZGNiYjU5ZDU3YWNYIQJzEpxXGeWZN5qXSmJjY8MzxWyvwObQGr5G1YCCgHicY2FtdWh0dHA6Ly9sb2NhbGhvc3Q6MzMzOGF1Y3NhdA';

  it('TokenV4 single keyset decodes to the vector JSON and round-trips', () => {
    const t = decodeTokenText(V4_SINGLE, []);
    expect(t.mint).toBe('http://localhost:3338');
    expect(t.unit).toBe('sat');
    expect(t.memo).toBe('Thank you');
    expect(t.proofs).toHaveLength(1);
    expect(t.proofs[0]).toMatchObject({
      id: '00ad268c4d1f5826',
      secret: '9a6dbb847bd232ba76db0df197216b29d3b8cc14553cd27827fc1cc942fedb4e',
      C: '038618543ffb6b8695df4ad4babcde92a34a96bdcd97dcee0d7ccf98d472126792',
    });
    // CBOR map key order is the encoder's choice: the vector must survive a round trip.
    expect(getDecodedToken(getEncodedToken(t), [])).toEqual(t);
  });

  it('TokenV4 with two keysets keeps each proof with its keyset', () => {
    const t = getDecodedToken(V4_MULTI, []);
    expect(t.proofs.map((p) => [p.id, p.amount.toNumber()])).toEqual([
      ['00ffd48b8f5ecf80', 1],
      ['00ad268c4d1f5826', 2],
      ['00ad268c4d1f5826', 1],
    ]);
    expect(getDecodedToken(getEncodedToken(t), [])).toEqual(t);
  });

  it('refuses text that is not a token, and a token cut short', () => {
    expect(() => decodeTokenText('casshuAeyJ0b2tlbiI6W3', [])).toThrow(
      expect.objectContaining({ code: 'ECASH_TOKEN_INVALID' }),
    );
    expect(() => decodeTokenText(V4_MULTI.slice(0, 60), [])).toThrow(
      expect.objectContaining({ code: 'ECASH_TOKEN_INVALID' }),
    );
    expect(decodeTokenText(`cashu:${V4_MULTI}`, []).proofs).toHaveLength(3);
  });

  it('a big token becomes NUT-16 animated QR parts (UR bytes)', () => {
    const qr = tokenQr(V4_MULTI.repeat(3));
    expect(qr.animated).toBe(true);
    expect(qr.parts.length).toBeGreaterThan(2);
    expect(qr.parts[0]).toMatch(/^ur:bytes\/1-\d+\//);
    expect(tokenQr(V4_SINGLE)).toEqual({ animated: false, parts: [V4_SINGLE] });
  });
});

describe('NUT-12 DLEQ vectors', () => {
  it('a Proof with a valid DLEQ verifies against A, and a changed one does not', () => {
    const A = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
    const proof = {
      amount: 1,
      id: '00882760bfa2eb41',
      secret: 'daf4dd00a2b68a0858a80450f52c8a7d2ccf87d375e43e216e0c571f089f63e9',
      C: '024369d2d22a80ecf78f3937da9d5f30c1b9f74f0c32684d583cca0fa6a61cdcfc',
      dleq: {
        e: 'b31e58ac6527f34975ffab13e70a48b6d2b0d35abc4b03f0151f09ee1a9763d4',
        s: '8fbae004c59e754d71df67e392b6ae4e29293113ddc2ec86592a0431d16306d8',
        r: 'a6d13fcd7a18442e6076f5e1e7c887ad5de40a019824bdfa9fe740d302e8d861',
      },
    };
    const keyset = { id: '00882760bfa2eb41', keys: { 1: A } };
    const p = getDecodedToken(
      getEncodedToken({ mint: 'http://m', unit: 'sat', proofs: [proof as never] }),
      [],
    ).proofs[0]!;
    expect(hasValidDleq(p, keyset)).toBe(true);
    expect(hasValidDleq({ ...p, dleq: { ...p.dleq!, s: p.dleq!.e } }, keyset)).toBe(false);
  });

  it('the mint stand-in’s DLEQ proofs verify for the wallet', () => {
    const a = Buffer.from('0000000000000000000000000000000000000000000000000000000000000002', 'hex');
    const B_ = pointFromHex('02a9acc1e48c25eeeb9289b5031cc57da9fe72f3fe2861d264bdc074209b107ba2');
    const C_ = createBlindSignature(B_, a, '00').C_;
    expect(C_.toHex(true)).toBe('0244eccfc7a348274458bb38044c7f3c389b3c2086c7ec18b5812d2877ab937787');
    const dleq = createDLEQProof(B_, a);
    expect(dleq.e).toHaveLength(32);
  });
});

describe('NUT-13 vectors (version 2, HMAC-SHA256)', () => {
  it('derives the secrets and blinding factors of counters 0-4', () => {
    const seed = mnemonicToSeedSync(
      'half depart obvious quality work element tank gorilla view sugar picture humble',
    );
    const id = '015ba18a8adcd02e715a58358eb618da4a4b3791151a4bee5e968bb88406ccf76a';
    const secrets = [
      'db5561a07a6e6490f8dadeef5be4e92f7cebaecf2f245356b5b2a4ec40687298',
      'b70e7b10683da3bf1cdf0411206f8180c463faa16014663f39f2529b2fda922e',
      '78a7ac32ccecc6b83311c6081b89d84bb4128f5a0d0c5e1af081f301c7a513f5',
      '094a2b6c63bfa7970bc09cda0e1cfc9cd3d7c619b8e98fabcfc60aea9e4963e5',
      '5e89fc5d30d0bf307ddf0a3ac34aa7a8ee3702169dafa3d3fe1d0cae70ecd5ef',
    ];
    const rs = [
      '6d26181a3695e32e9f88b80f039ba1ae2ab5a200ad4ce9dbc72c6d3769f2b035',
      'bde4354cee75545bea1a2eee035a34f2d524cee2bb01613823636e998386952e',
      'f40cc1218f085b395c8e1e5aaa25dccc851be3c6c7526a0f4e57108f12d6dac4',
      '099ed70fc2f7ac769bc20b2a75cb662e80779827b7cc358981318643030577d0',
      '5550337312d223ba62e3f75cfe2ab70477b046d98e3e71804eade3956c7b98cf',
    ];
    for (let i = 0; i < 5; i++) {
      const d = deriveSecretAndBlindingFactor(seed, id, i);
      expect(Buffer.from(d.secret).toString('hex')).toBe(secrets[i]);
      expect(Buffer.from(d.blindingFactor).toString('hex')).toBe(rs[i]);
    }
  });
});

describe('NUT-11 vectors, enforced by the mint stand-in', () => {
  const now = 1_900_000_000;
  const sigInputs = {
    amount: 1,
    secret:
      '["P2PK",{"nonce":"859d4935c4907062a6297cf4e663e2835d90d97ecdd510745d32f6816323a41f","data":"0249098aa8b9d2fbec49ff8598feb17b592b986e62319a4fa488a3dc36387157a7","tags":[["sigflag","SIG_INPUTS"]]}]',
    C: '02698c4e2b5f9534cd0687d87513c759790cf829aa5739184a3e3735471fbda904',
    id: '009a1f293253e41e',
  };
  it('SIG_INPUTS: the valid signature passes, one on another secret fails', () => {
    expect(() =>
      enforceSpendingConditions(
        [
          {
            ...sigInputs,
            witness:
              '{"signatures":["60f3c9b766770b46caac1d27e1ae6b77c8866ebaeba0b9489fe6a15a837eaa6fcd6eaa825499c72ac342983983fd3ba3a8a41f56677cc99ffd73da68b59e1383"]}',
          },
        ],
        [],
        now,
      ),
    ).not.toThrow();
    expect(() =>
      enforceSpendingConditions(
        [
          {
            ...sigInputs,
            witness:
              '{"signatures":["83564aca48c668f50d022a426ce0ed19d3a9bdcffeeaee0dc1e7ea7e98e9eff1840fcc821724f623468c94f72a8b0a7280fa9ef5a54a1b130ef3055217f467b3"]}',
          },
        ],
        [],
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 10001 }));
    expect(() => enforceSpendingConditions([sigInputs], [], now)).toThrow(
      expect.objectContaining({ code: 10001 }),
    );
  });

  const multi = {
    amount: 1,
    secret:
      '["P2PK",{"nonce":"0ed3fcb22c649dd7bbbdcca36e0c52d4f0187dd3b6a19efcc2bfbebb5f85b2a1","data":"0249098aa8b9d2fbec49ff8598feb17b592b986e62319a4fa488a3dc36387157a7","tags":[["pubkeys","0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798","02142715675faf8da1ecc4d51e0b9e539fa0d52fdd96ed60dbe99adb15d6b05ad9"],["n_sigs","2"],["sigflag","SIG_INPUTS"]]}]',
    C: '02698c4e2b5f9534cd0687d87513c759790cf829aa5739184a3e3735471fbda904',
    id: '009a1f293253e41e',
  };
  it('multisig: two of three signatures pass, one fails', () => {
    expect(() =>
      enforceSpendingConditions(
        [
          {
            ...multi,
            witness:
              '{"signatures":["83564aca48c668f50d022a426ce0ed19d3a9bdcffeeaee0dc1e7ea7e98e9eff1840fcc821724f623468c94f72a8b0a7280fa9ef5a54a1b130ef3055217f467b3","9a72ca2d4d5075be5b511ee48dbc5e45f259bcf4a4e8bf18587f433098a9cd61ff9737dc6e8022de57c76560214c4568377792d4c2c6432886cc7050487a1f22"]}',
          },
        ],
        [],
        now,
      ),
    ).not.toThrow();
    expect(() =>
      enforceSpendingConditions(
        [
          {
            ...multi,
            witness:
              '{"signatures":["83564aca48c668f50d022a426ce0ed19d3a9bdcffeeaee0dc1e7ea7e98e9eff1840fcc821724f623468c94f72a8b0a7280fa9ef5a54a1b130ef3055217f467b3"]}',
          },
        ],
        [],
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 10001 }));
  });

  it('refund key: spendable after locktime, not before', () => {
    const past = {
      amount: 64,
      C: '0257353051c02e2d650dede3159915c8be123ba4f47cf33183c7fedd20bd91a79b',
      id: '001b6c716bf42c7e',
      secret:
        '["P2PK",{"nonce":"4bc88ee09d1886c7461d45da205ca3274e1e3d9da2667c4865045cb18265a407","data":"03d5edeb839be873df2348785506d36565f3b8f390fb931709a422b5a247ddefb1","tags":[["locktime","21"],["refund","0234ad87e907e117db1590cc20a3942ffdfd5137aa563d36095d5cf5f96bada122"]]}]',
      witness:
        '{"signatures":["b316c2ff9c15f0c5c3d230e99ad94bc76a11dfccbdc820366a3db7210288f22ef6cedcded1152904ec31056d1d5176d83a2d96df5cd4ff86afdde1c90c63af5e"]}',
    };
    expect(() => enforceSpendingConditions([past], [], now)).not.toThrow();
    const future = {
      amount: 64,
      C: '0215865e3b30bdf6f5cdc1ee2c33379d5629bdf2eff2595603d939ff8c65d80586',
      id: '001b6c716bf42c7e',
      secret:
        '["P2PK",{"nonce":"0c3d085898f1abf2b5521035f4d0f4ecf68c6a5109f6bc836833a1188f06be65","data":"03206e0d488387a816bbafd957be51b073432c6c7a403ec4c2a0b27647326c5150","tags":[["locktime","99999999999"],["refund","026acbcd0fff3a424499c83ec892d3155c9d1984438659f448d9d0f1af3e92276a"]]}]',
      witness:
        '{"signatures":["e5b10d7627ab39bd0cefa219c63752a0026aa5ae754b91a0c7ee2596222f87942c442aca2957166a6b468350c09c9968792784d2ae7c42fc91739b55689f4c7a"]}',
    };
    expect(() => enforceSpendingConditions([future], [], now)).toThrow(
      expect.objectContaining({ code: 10001 }),
    );
  });

  it('SIG_ALL swap: the valid request passes; differing tags across inputs are refused', () => {
    const input = {
      amount: 2,
      id: '00bfa73302d12ffd',
      secret:
        '["P2PK",{"nonce":"c7f280eb55c1e8564e03db06973e94bc9b666d9e1ca42ad278408fe625950303","data":"030d8acedfe072c9fa449a1efe0817157403fbec460d8e79f957966056e5dd76c1","tags":[["sigflag","SIG_ALL"]]}]',
      C: '02c97ee3d1db41cf0a3ddb601724be8711a032950811bf326f8219c50c4808d3cd',
      witness:
        '{"signatures":["ce017ca25b1b97df2f72e4b49f69ac26a240ce14b3690a8fe619d41ccc42d3c1282e073f85acd36dc50011638906f35b56615f24e4d03e8effe8257f6a808538"]}',
    };
    const outputs = [
      {
        amount: 2,
        id: '00bfa73302d12ffd',
        B_: '038ec853d65ae1b79b5cdbc2774150b2cb288d6d26e12958a16fb33c32d9a86c39',
      },
    ];
    expect(() => enforceSpendingConditions([input], outputs, now)).not.toThrow();
    const other = {
      amount: 2,
      id: '00bfa73302d12ffd',
      secret:
        '["P2PK",{"nonce":"4007b21fc5f5b1d4920bc0a08b158d98fd0fb2b0b0262b57ff53c6c5d6c2ae8c","data":"033b42b04e659fed13b669f8b16cdaffc3ee5738608810cf97a7631d09bd01399d","tags":[["locktime","122222222222222"],["sigflag","SIG_ALL"]]}]',
      C: '02417400f2af09772219c831501afcbab4efb3b2e75175635d5474069608deb641',
    };
    expect(() => enforceSpendingConditions([input, other], outputs, now)).toThrow(
      expect.objectContaining({ code: 10001 }),
    );
  });

  it('SIG_ALL melt: signs inputs, blank outputs and the quote id', () => {
    const input = {
      amount: 2,
      id: '00bfa73302d12ffd',
      secret:
        '["P2PK",{"nonce":"bbf9edf441d17097e39f5095a3313ba24d3055ab8a32f758ff41c10d45c4f3de","data":"029116d32e7da635c8feeb9f1f4559eb3d9b42d400f9d22a64834d89cde0eb6835","tags":[["sigflag","SIG_ALL"]]}]',
      C: '02a9d461ff36448469dccf828fa143833ae71c689886ac51b62c8d61ddaa10028b',
      witness:
        '{"signatures":["478224fbe715e34f78cb33451db6fcf8ab948afb8bd04ff1a952c92e562ac0f7c1cb5e61809410635be0aa94d0448f7f7959bd5762cc3802b0a00ff58b2da747"]}',
    };
    const blanks = [
      {
        amount: 0,
        id: '00bfa73302d12ffd',
        B_: '038ec853d65ae1b79b5cdbc2774150b2cb288d6d26e12958a16fb33c32d9a86c39',
      },
    ];
    expect(() =>
      enforceSpendingConditions([input], blanks, now, 'cF8911fzT88aEi1d-6boZZkq5lYxbUSVs-HbJxK0'),
    ).not.toThrow();
    expect(() => enforceSpendingConditions([input], blanks, now, 'another-quote')).toThrow(
      expect.objectContaining({ code: 10001 }),
    );
  });
});

describe('NUT-20 vectors and lock targets', () => {
  const outputs = [
    '0342e5bcc77f5b2a3c2afb40bb591a1e27da83cddc968abdc0ec4904201a201834',
    '032fd3c4dc49a2844a89998d5e9d5b0f0b00dde9310063acb8a92e2fdafa4126d4',
    '033b6fde50b6a0dfe61ad148fff167ad9cf8308ded5f6f6b2fe000a036c464c311',
    '02be5a55f03e5c0aaea77595d574bce92c6d57a2a0fb2b5955c0b87e4520e06b53',
    '02209fc2873f28521cbdde7f7b3bb1521002463f5979686fd156f23fe6a8aa2b79',
  ].map((B_) => ({ amount: 1, id: '00456a94ab4e1c46', B_ }));
  const pub = '03d56ce4e446a85bbdaa547b4ec2b073d40ff802831352b8272b7dd7a4de5a7cac';
  const quote = '9d745270-1405-46de-b5c5-e2762b4f5e00';
  it('accepts the valid mint request signature and refuses the invalid one', () => {
    expect(
      verifyMintRequestSignature(
        pub,
        quote,
        outputs,
        'd4b386f21f7aa7172f0994ee6e4dd966539484247ea71c99b81b8e09b1bb2acbc0026a43c221fd773471dc30d6a32b04692e6837ddaccf0830a63128308e4ee0',
      ),
    ).toBe(true);
    expect(
      verifyMintRequestSignature(
        pub,
        quote,
        outputs,
        'cb2b8e7ea69362dfe2a07093f2bbc319226db33db2ef686c940b5ec976bcbfc78df0cd35b3e998adf437b09ee2c950bd66dfe9eb64abd706e43ebc7c669c36c3',
      ),
    ).toBe(false);
  });

  it('locks to a compressed key or an npub', () => {
    expect(lockKeyFrom(pub.toUpperCase().replace(/^03/, '03'))).toBe(pub);
    expect(lockKeyFrom('npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6')).toMatch(
      /^02[0-9a-f]{64}$/,
    );
    expect(() => lockKeyFrom('nonsense')).toThrow(expect.objectContaining({ code: 'ECASH_BAD_LOCK' }));
  });
});
