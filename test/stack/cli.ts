import type { DialectQuirk, ProtocolOffer } from './electrum-methods';
import { DIALECT_QUIRKS, PROTOCOL_OFFERS } from './electrum-methods';
import { startStack } from './index';

/** `npm run stack [-- --electrum-port N --electrum-tls-port N --control-port N]` */
function parsePort(args: string[], flag: string): number | undefined {
  const i = args.indexOf(flag);
  if (i === -1) return undefined;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${flag} needs a port number (0-65535)`);
    process.exit(2);
  }
  return value;
}

const args = process.argv.slice(2);
const known = new Set([
  '--electrum-port',
  '--electrum-tls-port',
  '--control-port',
  '--electrum-protocol',
  '--electrum-quirks',
]);
for (let i = 0; i < args.length; i += 2) {
  if (!known.has(args[i] ?? '')) {
    console.error(`unknown option ${args[i]}; use ${[...known].join(', ')}`);
    process.exit(2);
  }
}

const electrumPort = parsePort(args, '--electrum-port');
const electrumTlsPort = parsePort(args, '--electrum-tls-port');
const controlPort = parsePort(args, '--control-port');
const protocolArg = args[args.indexOf('--electrum-protocol') + 1];
const electrumProtocol = args.includes('--electrum-protocol') ? protocolArg : undefined;
if (electrumProtocol !== undefined && !(PROTOCOL_OFFERS as readonly string[]).includes(electrumProtocol)) {
  console.error(`--electrum-protocol takes one of ${PROTOCOL_OFFERS.join(', ')}`);
  process.exit(2);
}
const quirksArg = args.includes('--electrum-quirks')
  ? (args[args.indexOf('--electrum-quirks') + 1] ?? '')
  : '';
const electrumQuirks = quirksArg === '' ? [] : quirksArg.split(',');
for (const q of electrumQuirks) {
  if (!(DIALECT_QUIRKS as readonly string[]).includes(q)) {
    console.error(`--electrum-quirks takes a comma list of ${DIALECT_QUIRKS.join(', ')}`);
    process.exit(2);
  }
}

const stack = await startStack({
  ...(electrumPort !== undefined ? { electrumPort } : {}),
  ...(electrumTlsPort !== undefined ? { electrumTlsPort } : {}),
  ...(controlPort !== undefined ? { controlPort } : {}),
  ...(electrumProtocol !== undefined ? { electrumProtocol: electrumProtocol as ProtocolOffer } : {}),
  electrumQuirks: electrumQuirks as DialectQuirk[],
});

const { chain } = stack;
console.log('Flash Desktop regtest stack is running (Ctrl+C stops it)');
console.log(`  Electrum (tcp)   ${stack.electrum.host}:${stack.electrum.port}`);
console.log(`  Electrum (tls)   ${stack.electrumTls.host}:${stack.electrumTls.port}`);
console.log(
  `  Electrum dialect protocol ${stack.electrumServer.protocol}${
    stack.electrumServer.quirks.length > 0 ? `, quirks ${stack.electrumServer.quirks.join(',')}` : ''
  }`,
);
console.log(`  TLS fingerprint  ${stack.electrumTlsFingerprint}`);
for (const url of stack.relays) console.log(`  NOSTR relay      ${url}`);
console.log(`  BTCPay Server    ${stack.btcpay.url}  (Greenfield stand-in, checked against the spec)`);
console.log(`  BTCPay API key   ${stack.btcpay.seed.adminKey.apiKey}  (all permissions)`);
console.log(`  BTCPay store     ${stack.btcpay.seed.store.name}  ${stack.btcpay.seed.store.id}`);
console.log(`  BTCPay POS app   ${stack.btcpay.seed.app.title}  ${stack.btcpay.seed.app.id}`);
const lightningNodes = stack.lightning
  .listNodes()
  .map((n) => n.name)
  .join(', ');
console.log(`  Lightning        fake network (regtest), nodes ${lightningNodes}`);
console.log(
  `                   GET /lightning/nodes /lightning/payments?node= /lightning/invoices?node=, POST /lightning/node /lightning/fund /lightning/invoice /lightning/pay /lightning/fault`,
);
console.log(
  `  LNURL service    ${stack.lnurl.url}  addresses ${stack.lnurl.address('coffee')}, ${stack.lnurl.address('tips')}`,
);
console.log(
  '                   GET /lightning/lnurl, POST /lightning/lnurl/pay-link /lightning/lnurl/withdraw-link /lightning/lnurl/auth-link /lightning/lnurl/fault',
);
console.log(
  `  LND REST         ${stack.lnd.restAddress}  (node "lnd"; GET /lightning/lnd for tls.cert, macaroons, lndconnect)`,
);
console.log(`  LND lndconnect   ${stack.lnd.lndconnect('admin')}`);
console.log(
  `  Breez stand-in   start the app with --breez-stand-in ${stack.controlUrl}  (GET /lightning/breez; POST /lightning/breez/deposit {address,sats,feesChanged?} /lightning/breez/fault {mode})`,
);
console.log(
  `  NFC reader       ${stack.nfc.url}  (simulated PC/SC reader with a blank NTAG 424 card; start the app with --simulated-devices --simulated-nfc ${stack.nfc.url})`,
);
console.log(
  '                   GET /nfc, POST /nfc/card {name?} (a new blank card on the reader) /nfc/present {name} /nfc/remove /nfc/replay (a copy of the last tap)',
);
console.log(
  `  Price source     ${stack.prices.url}  (mempool.space's GET /api/v1/prices and Coinbase's GET /v2/prices/BTC-USD/spot; Settings → Fiat prices → mempool address)`,
);
console.log(
  '                   GET /prices, POST /prices/fault {mode: none|down|http-503} /prices/set {currency,price}',
);
for (const w of Object.values(stack.nwc)) console.log(`  NWC wallet       ${w.variant.padEnd(13)}${w.uri}`);
console.log('                   GET /nwc, POST /nwc/fault {variant,fault} /nwc/connection {variant}');
for (const [name, address] of Object.entries(stack.zapAddresses))
  console.log(`  Zap address      ${address}  (${name}; NIP-57 receipts; GET /zaps, POST /zaps/fault)`);
for (const m of stack.cashuMints)
  console.log(
    `  Cashu mint       ${m.url}  (${m.name}: ${m.mint.opts.units.join(', ')}; Lightning node ${m.node})`,
  );
console.log(
  '                   GET /cashu, POST /cashu/fault {mint,fault} /cashu/rotate {mint,unit} /cashu/double-spend {token}',
);
console.log(
  `  Control API      ${stack.controlUrl}  (GET /info /nostr /btcpay, POST /mine /send /broadcast /fault /lie /electrum /reorg /nostr/forge /btcpay/pay /btcpay/expire /btcpay/fault /btcpay/key)`,
);
console.log(`  Chain            regtest, tip height ${chain.tipHeight}, stack address ${chain.stackAddress}`);
console.log(
  `  Example          curl -s -XPOST ${stack.controlUrl}/send -d '{"address":"bcrt1...","sats":100000}'`,
);
console.log(
  `STACK_READY ${JSON.stringify({
    electrum: stack.electrum,
    electrumTls: stack.electrumTls,
    electrumTlsFingerprint: stack.electrumTlsFingerprint,
    controlUrl: stack.controlUrl,
    relays: stack.relays,
    nwc: Object.fromEntries(Object.values(stack.nwc).map((w) => [w.variant, w.uri])),
    zapAddresses: stack.zapAddresses,
    lnurl: { url: stack.lnurl.url, addresses: [stack.lnurl.address('coffee'), stack.lnurl.address('tips')] },
    lnd: { restAddress: stack.lnd.restAddress, lndconnect: stack.lnd.lndconnect('admin') },
    btcpay: {
      url: stack.btcpay.url,
      apiKey: stack.btcpay.seed.adminKey.apiKey,
      storeId: stack.btcpay.seed.store.id,
      appId: stack.btcpay.seed.app.id,
    },
    cashuMints: Object.fromEntries(stack.cashuMints.map((m) => [m.name, m.url])),
    nfc: stack.nfc.url,
    prices: stack.prices.url,
    tipHeight: chain.tipHeight,
    stackAddress: chain.stackAddress,
  })}`,
);

let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the stack`);
  stack.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('stack did not stop cleanly:', err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
