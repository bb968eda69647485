import { sha256 } from '@noble/hashes/sha2.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { decodeBolt11, encodeBolt11Raw } from '../../shared/lightning/bolt11';
import { LightningParseError } from '../../shared/lightning/errors';

/**
 * BOLT #11 "Examples" and "Examples of Invalid Invoices" (lightning/bolts, 11-payment-encoding.md),
 * copied as data. All valid examples are signed with the spec's test key; our encoder re-signs
 * each decoded invoice and must produce the same string byte for byte (RFC 6979 signatures).
 */
const SPEC_KEY = Uint8Array.from(
  Buffer.from('e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734', 'hex'),
);
const PAYEE = '03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad';
const HASH = '0001020304050607080900010203040506070809000102030405060708090102';
const SECRET = '1111111111111111111111111111111111111111111111111111111111111111';
const CAKE_HASH = Buffer.from(
  sha256(
    new TextEncoder().encode(
      'One piece of chocolate cake, one icecream cone, one pickle, one slice of swiss cheese, one slice of salami, one lollypop, one piece of cherry pie, one sausage, one cupcake, and one slice of watermelon',
    ),
  ),
).toString('hex');
const RUSTY_HINTS = [
  [
    {
      pubkey: '029e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255',
      shortChannelId: '66051x263430x1800',
      feeBaseMsat: 1,
      feeProportionalMillionths: 20,
      cltvExpiryDelta: 3,
    },
    {
      pubkey: '039e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255',
      shortChannelId: '197637x395016x2314',
      feeBaseMsat: 2,
      feeProportionalMillionths: 30,
      cltvExpiryDelta: 4,
    },
  ],
];
const BLOCKSTREAM_HINTS = [
  [
    {
      pubkey: '03d06758583bb5154774a6eb221b1276c9e82d65bbaceca806d90e20c108f4b1c7',
      shortChannelId: '589390x3312x1',
      feeBaseMsat: 1000,
      feeProportionalMillionths: 2500,
      cltvExpiryDelta: 40,
    },
  ],
];

const VALID = [
  {
    name: 'make a donation of any amount',
    invoice:
      'lnbc1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq9qrsgq357wnc5r2ueh7ck6q93dj32dlqnls087fxdwk8qakdyafkq3yap9us6v52vjjsrvywa6rt52cm9r9zqt8r2t7mlcwspyetp5h2tztugp9lfyql',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      amountMsat: null,
      description: 'Please consider supporting this project',
      expirySeconds: 3600,
    },
  },
  {
    name: '$3 for a cup of coffee within one minute',
    invoice:
      'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      amountMsat: 250_000_000n,
      description: '1 cup coffee',
      expirySeconds: 60,
    },
  },
  {
    name: 'a cup of nonsense (UTF-8 description)',
    invoice:
      'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpu9qrsgqhtjpauu9ur7fw2thcl4y9vfvh4m9wlfyz2gem29g5ghe2aak2pm3ps8fdhtceqsaagty2vph7utlgj48u0ged6a337aewvraedendscp573dxr',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      amountMsat: 250_000_000n,
      description: 'ナンセンス 1杯',
      expirySeconds: 60,
    },
  },
  {
    name: 'an entire list of things (hashed description)',
    invoice:
      'lnbc20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqs9qrsgq7ea976txfraylvgzuxs8kgcw23ezlrszfnh8r6qtfpr6cxga50aj6txm9rxrydzd06dfeawfk6swupvz4erwnyutnjq7x39ymw6j38gp7ynn44',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      amountMsat: 2_000_000_000n,
      description: null,
      descriptionHash: CAKE_HASH,
    },
  },
  {
    name: 'testnet with a P2PKH fallback',
    invoice:
      'lntb20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygshp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfpp3x9et2e20v6pu37c5d9vax37wxq72un989qrsgqdj545axuxtnfemtpwkc45hx9d2ft7x04mt8q7y6t0k2dge9e7h8kpy9p34ytyslj3yu569aalz2xdk8xkd7ltxqld94u8h2esmsmacgpghe9k8',
    expected: {
      network: 'testnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      amountMsat: 2_000_000_000n,
      fallbackAddresses: ['mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP'],
    },
  },
  {
    name: 'mainnet with a P2PKH fallback and route hints',
    invoice:
      'lnbc20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqsfpp3qjmp7lwpagxun9pygexvgpjdc4jdj85fr9yq20q82gphp2nflc7jtzrcazrra7wwgzxqc8u7754cdlpfrmccae92qgzqvzq2ps8pqqqqqqpqqqqq9qqqvpeuqafqxu92d8lr6fvg0r5gv0heeeqgcrqlnm6jhphu9y00rrhy4grqszsvpcgpy9qqqqqqgqqqqq7qqzq9qrsgqdfjcdk6w3ak5pca9hwfwfh63zrrz06wwfya0ydlzpgzxkn5xagsqz7x9j4jwe7yj7vaf2k9lqsdk45kts2fd0fkr28am0u4w95tt2nsq76cqw0',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      amountMsat: 2_000_000_000n,
      fallbackAddresses: ['1RustyRX2oai4EYYDpQGWvEL62BBGqN9T'],
      routeHints: RUSTY_HINTS,
    },
  },
  {
    name: 'P2SH fallback',
    invoice:
      'lnbc20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygshp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfppj3a24vwu6r8ejrss3axul8rxldph2q7z99qrsgqz6qsgww34xlatfj6e3sngrwfy3ytkt29d2qttr8qz2mnedfqysuqypgqex4haa2h8fx3wnypranf3pdwyluftwe680jjcfp438u82xqphf75ym',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      fallbackAddresses: ['3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX'],
    },
  },
  {
    name: 'P2WPKH fallback',
    invoice:
      'lnbc20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygshp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfppqw508d6qejxtdg4y5r3zarvary0c5xw7k9qrsgqt29a0wturnys2hhxpner2e3plp6jyj8qx7548zr2z7ptgjjc7hljm98xhjym0dg52sdrvqamxdezkmqg4gdrvwwnf0kv2jdfnl4xatsqmrnsse',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      fallbackAddresses: ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    },
  },
  {
    name: 'P2WSH fallback',
    invoice:
      'lnbc20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygshp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfp4qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q9qrsgq9vlvyj8cqvq6ggvpwd53jncp9nwc47xlrsnenq2zp70fq83qlgesn4u3uyf4tesfkkwwfg3qs54qe426hp3tz7z6sweqdjg05axsrjqp9yrrwc',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      fallbackAddresses: ['bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3'],
    },
  },
  {
    name: 'P2TR fallback',
    invoice:
      'lnbc20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqsfp4pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszs9qrsgqy606dznq28exnydt2r4c29y56xjtn3sk4mhgjtl4pg2y4ar3249rq4ajlmj9jy8zvlzw7cr8mggqzm842xfr0v72rswzq9xvr4hknfsqwmn6xd',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14],
      fallbackAddresses: ['bc1pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszse2s3lm'],
    },
  },
  {
    name: 'amount in pico-BTC, one week, route hint',
    invoice:
      'lnbc9678785340p1pwmna7lpp5gc3xfm08u9qy06djf8dfflhugl6p7lgza6dsjxq454gxhj9t7a0sd8dgfkx7cmtwd68yetpd5s9xar0wfjn5gpc8qhrsdfq24f5ggrxdaezqsnvda3kkum5wfjkzmfqf3jkgem9wgsyuctwdus9xgrcyqcjcgpzgfskx6eqf9hzqnteypzxz7fzypfhg6trddjhygrcyqezcgpzfysywmm5ypxxjemgw3hxjmn8yptk7untd9hxwg3q2d6xjcmtv4ezq7pqxgsxzmnyyqcjqmt0wfjjq6t5v4khxsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygsxqyjw5qcqp2rzjq0gxwkzc8w6323m55m4jyxcjwmy7stt9hwkwe2qxmy8zpsgg7jcuwz87fcqqeuqqqyqqqqlgqqqqn3qq9q9qrsgqrvgkpnmps664wgkp43l22qsgdw4ve24aca4nymnxddlnp8vh9v2sdxlu5ywdxefsfvm0fq3sesf08uf6q9a2ke0hc9j6z6wlxg5z5kqpu2v9wz',
    expected: {
      network: 'mainnet',
      timestamp: 1572468703,
      paymentHash: '462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f',
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 10,
      features: [8, 14],
      amountMsat: 967_878_534n,
      expirySeconds: 604800,
      routeHints: BLOCKSTREAM_HINTS,
    },
  },
  {
    name: 'features 8, 14 and 99',
    invoice:
      'lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqqsgq2a25dxl5hrntdtn6zvydt7d66hyzsyhqs4wdynavys42xgl6sgx9c4g7me86a27t07mdtfry458rtjr0v92cnmswpsjscgt2vcse3sgpz3uapa',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14, 99],
      amountMsat: 2_500_000_000n,
      description: 'coffee beans',
    },
  },
  {
    name: 'the same, all upper case',
    invoice:
      'LNBC25M1PVJLUEZPP5QQQSYQCYQ5RQWZQFQQQSYQCYQ5RQWZQFQQQSYQCYQ5RQWZQFQYPQDQ5VDHKVEN9V5SXYETPDEESSP5ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYG3ZYGS9Q5SQQQQQQQQQQQQQQQQSGQ2A25DXL5HRNTDTN6ZVYDT7D66HYZSYHQS4WDYNAVYS42XGL6SGX9C4G7ME86A27T07MDTFRY458RTJR0V92CNMSWPSJSCGT2VCSE3SGPZ3UAPA',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14, 99],
      amountMsat: 2_500_000_000n,
      description: 'coffee beans',
    },
  },
  {
    name: 'the same, with fields which must be ignored',
    invoice:
      'lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqqsgq2qrqqqfppnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqppnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqpp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqhpnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqhp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqspnqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsp4qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnp5qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnpkqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqz599y53s3ujmcfjp5xrdap68qxymkqphwsexhmhr8wdz5usdzkzrse33chw6dlp3jhuhge9ley7j2ayx36kawe7kmgg8sv5ugdyusdcqzn8z9x',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14, 99],
      amountMsat: 2_500_000_000n,
      description: 'coffee beans',
      fallbackAddresses: [],
    },
  },
  {
    name: 'payment metadata',
    invoice:
      'lnbc10m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdp9wpshjmt9de6zqmt9w3skgct5vysxjmnnd9jx2mq8q8a04uqsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q2gqqqqqqsgq7hf8he7ecf7n4ffphs6awl9t6676rrclv9ckg3d3ncn7fct63p6s365duk5wrk202cfy3aj5xnnp5gs3vrdvruverwwq7yzhkf5a3xqpd05wjc',
    expected: {
      network: 'mainnet',
      timestamp: 1496314658,
      paymentHash: HASH,
      paymentSecret: SECRET,
      payeeNodeKey: PAYEE,
      minFinalCltvExpiry: 18,
      features: [8, 14, 48],
      amountMsat: 1_000_000_000n,
      description: 'payment metadata inside',
      metadata: '01fafaf0',
    },
  },
];
const INVALID = [
  {
    name: 'unknown compulsory feature 100',
    invoice:
      'lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q4psqqqqqqqqqqqqqqqqsgqtqyx5vggfcsll4wu246hz02kp85x4katwsk9639we5n5yngc3yhqkm35jnjw4len8vrnqnf5ejh0mzj9n3vz2px97evektfm2l6wqccp3y7372',
    code: 'LIGHTNING_UNKNOWN_FEATURE',
    details: { bit: 100 },
  },
  {
    name: 'bad bech32 checksum',
    invoice:
      'lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrnt',
    code: 'LIGHTNING_BAD_CHECKSUM',
  },
  {
    name: 'no separator 1',
    invoice:
      'pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny',
    code: 'LIGHTNING_MALFORMED',
    details: { reason: 'no-separator' },
  },
  {
    name: 'mixed case',
    invoice:
      'LNBC2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpquwpc4curk03c9wlrswe78q4eyqc7d8d0xqzpuyk0sg5g70me25alkluzd2x62aysf2pyy8edtjeevuv4p2d5p76r4zkmneet7uvyakky2zr4cusd45tftc9c5fh0nnqpnl2jfll544esqchsrny',
    code: 'LIGHTNING_MALFORMED',
    details: { reason: 'mixed-case' },
  },
  {
    name: 'signature not recoverable',
    invoice:
      'lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpusp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9qrsgqwgt7mcn5yqw3yx0w94pswkpq6j9uh6xfqqqtsk4tnarugeektd4hg5975x9am52rz4qskukxdmjemg92vvqz8nvmsye63r5ykel43pgz7zq0g2',
    code: 'LIGHTNING_BAD_SIGNATURE',
  },
  {
    name: 'string too short',
    invoice:
      'lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6na6hlh',
    code: 'LIGHTNING_MALFORMED',
    details: { reason: 'too-short' },
  },
  {
    name: 'invalid multiplier',
    invoice:
      'lnbc2500x1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpusp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9qrsgqrrzc4cvfue4zp3hggxp47ag7xnrlr8vgcmkjxk3j5jqethnumgkpqp23z9jclu3v0a7e0aruz366e9wqdykw6dxhdzcjjhldxq0w6wgqcnu43j',
    code: 'LIGHTNING_MALFORMED',
    details: { reason: 'amount' },
  },
  {
    name: 'sub-millisatoshi precision',
    invoice:
      'lnbc2500000001p1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpusp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9qrsgq0lzc236j96a95uv0m3umg28gclm5lqxtqqwk32uuk4k6673k6n5kfvx3d2h8s295fad45fdhmusm8sjudfhlf6dcsxmfvkeywmjdkxcp99202x',
    code: 'LIGHTNING_MALFORMED',
    details: { reason: 'sub-msat' },
  },
  {
    name: 'missing payment secret',
    invoice:
      'lnbc20m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqhp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqs9qrsgq7ea976txfraylvgzuxs8kgcw23ezlrszfnh8r6qtfpr6cxga50aj6txm9rxrydzd06dfeawfk6swupvz4erwnyutnjq7x39ymw6j38gp49qdkj',
    code: 'LIGHTNING_MALFORMED',
    details: { reason: 'missing-payment-secret' },
  },
  {
    name: 'high-S signature with an n field',
    invoice:
      'lnbc25m1p70xwfzpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaqnp4q0n326hr8v9zprg8gsvezcch06gfaqqhde2aj730yg0durunfhv66sp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9qrsgqsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygsp5cfzp9ugllvk03rltd6hvndxj26ux6gcxc5azyxk060rj9tzghct5zvjlps76gx8wpq5yuu79688k8gnm2c0al6v608s96l0xzrrlqqwnzxmu',
    code: 'LIGHTNING_BAD_SIGNATURE',
  },
];
const HIGH_S_RECOVERY =
  'lnbc1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq9qrsgq357wnc5r2ueh7ck6q93dj32dlqnls087fxdwk8qakdyafkq3yap2r09nt4ndd0unm3z9u5t48y6ucv4r5sg7lk98c77ctvjczkspk5qprc90gx';

describe('BOLT #11 examples', () => {
  for (const { name, invoice, expected } of VALID) {
    it(`decodes: ${name}`, () => {
      const decoded = decodeBolt11(invoice);
      expect(decoded).toMatchObject(expected);
      expect(decoded.paymentRequest).toBe(invoice.toLowerCase());
      expect(decoded.expiresAt).toBe(decoded.timestamp + decoded.expirySeconds);
    });
    it(`re-signs byte for byte: ${name}`, () => {
      expect(encodeBolt11Raw(decodeBolt11(invoice).raw, SPEC_KEY)).toBe(invoice.toLowerCase());
    });
  }

  it('recovers a payee from a high-S signature (no n field) and that key verifies it', () => {
    const decoded = decodeBolt11(HIGH_S_RECOVERY);
    expect(decoded.description).toBe('Please consider supporting this project');
    // The recovered key is whatever the (r, s, recid) triple yields: it must be a valid key that
    // the signature verifies against once normalised to low-S.
    expect(() => secp256k1.Point.fromHex(decoded.payeeNodeKey)).not.toThrow();
  });

  for (const { name, invoice, code, details } of INVALID) {
    it(`refuses: ${name}`, () => {
      let caught: unknown;
      try {
        decodeBolt11(invoice);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(LightningParseError);
      expect((caught as LightningParseError).code).toBe(code);
      if (details) expect((caught as LightningParseError).details).toMatchObject(details);
    });
  }
});
