import type http from 'node:http';
import {
  boltcardKeys,
  bytesToHex,
  cardId,
  cardKey,
  checkSunMac,
  decryptPicc,
  hexToBytes,
  issuerEncryptionKey,
} from '../../../main/merchant/boltcard/ntag424-crypto';
import { invoiceJson, paymentMethodsJson, supportsLnurl } from './api';
import { atomsToText, satsToBtc, textToAtoms } from './engine';
import { escapeHtml, HttpError, sendHtml, sendJson } from './http';
import type { PullPayment } from './model';
import { newId, requiredConfirmations } from './model';
import type { BtcpayState } from './state';

/**
 * The stand-in's pages outside Greenfield, as BTCPay serves them: the checkout status JSON
 * (`/i/{id}/status`, UIInvoiceController.GetStatus), the authorize page, a pull payment's
 * LNURL-withdraw (UILNURLController.GetLNURLForPullPayment) and Bolt card taps (`/boltcard`,
 * UIBoltcardController).
 */

export interface PublicContext {
  state: BtcpayState;
  origin: string;
  url: URL;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  body: string;
}

/** LNURL's error answer. */
function lnurlError(res: http.ServerResponse, reason: string, status = 400): void {
  sendJson(res, status, { status: 'ERROR', reason });
}

export async function handlePublic(ctx: PublicContext): Promise<boolean> {
  const { url, req } = ctx;
  const path = url.pathname;
  let m = /^\/(?:i|invoice)\/([^/]+)\/status$/.exec(path);
  if (m && req.method === 'GET') {
    checkoutStatus(ctx, decodeURIComponent(m[1] ?? ''));
    return true;
  }
  m = /^\/i\/([^/]+)\/receipt$/.exec(path);
  if (m && req.method === 'GET') {
    receiptPage(ctx, decodeURIComponent(m[1] ?? ''));
    return true;
  }
  m = /^\/BTC\/(?:UILNURL|lnurl)\/withdraw\/pp\/([^/]+)$/.exec(path);
  if (m && req.method === 'GET') {
    await pullPaymentWithdraw(ctx, decodeURIComponent(m[1] ?? ''), url.searchParams.get('pr'), null, false);
    return true;
  }
  if (path === '/boltcard' && req.method === 'GET') {
    await boltcardTap(ctx);
    return true;
  }
  if (path === '/api-keys/authorize' && req.method === 'POST') {
    authorizeConsent(ctx);
    return true;
  }
  return false;
}

function checkoutStatus(ctx: PublicContext, invoiceId: string): void {
  const inv = ctx.state.engine.invoices.get(invoiceId);
  if (!inv) {
    ctx.res.writeHead(404).end();
    return;
  }
  const store = ctx.state.stores.get(inv.storeId);
  const methods = paymentMethodsJson(ctx.state.engine, inv);
  const chain = methods.find((p) => p['paymentMethodId'] === 'BTC-CHAIN');
  const ln = methods.find((p) => p['paymentMethodId'] === 'BTC-LN');
  const bip21 = String(chain?.['paymentLink'] ?? '');
  const lightning = ln ? `lightning=${String(ln['destination'])}` : null;
  const withLn =
    lightning && store?.onChainWithLnInvoiceFallback
      ? `${bip21}${bip21.includes('?') ? '&' : '?'}${lightning}`
      : bip21;
  sendJson(ctx.res, 200, {
    invoiceId: inv.id,
    status: inv.status,
    storeName: store?.name ?? '',
    orderId: inv.metadata['orderId'] ?? null,
    itemDesc: inv.metadata['itemDesc'] ?? null,
    paymentMethodId: chain ? 'BTC-CHAIN' : ln ? 'BTC-LN' : null,
    paymentMethodCurrency: 'BTC',
    address: chain?.['destination'] ?? ln?.['destination'] ?? null,
    due: chain?.['due'] ?? ln?.['due'] ?? '0',
    paid: satsToBtc(ctx.state.engine.paidSats(inv)),
    orderAmount: satsToBtc(inv.dueSats),
    orderAmountFiat: inv.amount === null ? null : `${atomsToText(inv.amount, 2)} ${inv.currency}`,
    invoiceCurrency: inv.currency,
    invoiceBitcoinUrl: withLn,
    invoiceBitcoinUrlQR: withLn
      .toUpperCase()
      .replace(/^BITCOIN:/, 'bitcoin:')
      .replace('?AMOUNT=', '?amount=')
      .replace('&LIGHTNING=', '&lightning='),
    expirationSeconds: Math.max(0, inv.expirationTime - ctx.state.now()),
    maxTimeSeconds: inv.expirationTime - inv.createdTime,
    requiredConfirmations: requiredConfirmations(inv.speedPolicy),
    txCount: inv.payments.length,
    receiptLink: `${ctx.origin}/i/${inv.id}/receipt`,
    activated: true,
  });
}

function receiptPage(ctx: PublicContext, invoiceId: string): void {
  const inv = ctx.state.engine.invoices.get(invoiceId);
  if (!inv || (inv.status !== 'Settled' && inv.status !== 'Processing')) {
    ctx.res.writeHead(404).end();
    return;
  }
  const data = invoiceJson(ctx, inv);
  const receipt = (inv.metadata['receiptData'] ?? {}) as Record<string, unknown>;
  const rows = Object.entries(receipt)
    .filter(([, v]) => typeof v === 'string')
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('');
  sendHtml(
    ctx.res,
    200,
    `<!doctype html><title>Receipt</title><h1>Receipt ${escapeHtml(inv.id)}</h1><p>${escapeHtml(String(data['amount']))} ${escapeHtml(inv.currency)}</p><table>${rows}</table>`,
  );
}

/** The page a browser is sent to with `/api-keys/authorize?...`: the logged-in user consents. */
export function authorizePage(ctx: PublicContext): void {
  const q = ctx.url.searchParams;
  const permissions = q.getAll('permissions');
  const app = q.get('applicationName') ?? 'An application';
  const redirect = q.get('redirect') ?? '';
  const stores = [...ctx.state.stores.values()];
  const hidden = [
    ...permissions.map((p) => `<input type="hidden" name="permissions" value="${escapeHtml(p)}">`),
    `<input type="hidden" name="applicationName" value="${escapeHtml(app)}">`,
    `<input type="hidden" name="redirect" value="${escapeHtml(redirect)}">`,
    `<input type="hidden" name="selectiveStores" value="${escapeHtml(q.get('selectiveStores') ?? 'false')}">`,
  ].join('');
  sendHtml(
    ctx.res,
    200,
    `<!doctype html><title>Authorize ${escapeHtml(app)}</title><h1>Authorize ${escapeHtml(app)}</h1>
<p>${escapeHtml(app)} asks for:</p><ul>${permissions.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>
<form method="post" action="/api-keys/authorize">${hidden}
<label>Store <select name="storeId">${stores.map((s) => `<option value="${escapeHtml(s.id)}">${escapeHtml(s.name)}</option>`).join('')}</select></label>
<button type="submit" name="command" value="Approve">Authorize app</button>
<button type="submit" name="command" value="Cancel">Cancel</button></form>`,
  );
}

/**
 * The user pressed Authorize: BTCPay makes the key and answers a page that POSTs `apiKey`,
 * `userId` and `permissions[]` to the redirect URL (its PostRedirect view).
 */
function authorizeConsent(ctx: PublicContext): void {
  const form = new URLSearchParams(ctx.body);
  const user = [...ctx.state.users.values()][0];
  const redirect = form.get('redirect') ?? '';
  if (!user) throw new HttpError(401, { code: 'unauthenticated', message: 'Log in first' });
  if (form.get('command') !== 'Approve') {
    sendHtml(ctx.res, 200, '<!doctype html><title>Cancelled</title><p>Authorization cancelled.</p>');
    return;
  }
  const storeId = form.get('storeId');
  const scoped = form.get('selectiveStores') === 'true' && storeId;
  const permissions = form
    .getAll('permissions')
    .map((p) => (scoped && p.startsWith('btcpay.store.') ? `${p}:${storeId}` : p));
  const key = ctx.state.createKey(user.id, permissions, form.get('applicationName') ?? 'Authorized app');
  if (!redirect) {
    sendHtml(ctx.res, 200, `<!doctype html><p>API key generated: <code>${escapeHtml(key.apiKey)}</code></p>`);
    return;
  }
  const fields = [
    `<input type="hidden" name="apiKey" value="${escapeHtml(key.apiKey)}">`,
    `<input type="hidden" name="userId" value="${escapeHtml(user.id)}">`,
    ...permissions.map((p) => `<input type="hidden" name="permissions[]" value="${escapeHtml(p)}">`),
  ].join('');
  sendHtml(
    ctx.res,
    200,
    `<!doctype html><title>Redirecting</title><form id="postform" method="post" action="${escapeHtml(redirect)}">${fields}<noscript><button type="submit">Continue</button></noscript></form><script>document.getElementById('postform').submit()</script>`,
  );
}

function progress(pp: PullPayment): { limit: bigint; completed: bigint; awaiting: bigint } {
  const sum = (states: string[]) =>
    pp.payouts
      .filter((p) => states.includes(p.state))
      .reduce((s, p) => s + textToAtoms(p.originalAmount), 0n);
  return {
    limit: textToAtoms(pp.amount),
    completed: sum(['Completed']),
    awaiting: sum(['AwaitingApproval', 'AwaitingPayment', 'InProgress']),
  };
}

/** Atoms of BTC (or SATS) → msat. */
function toMsat(amount: bigint, currency: string): bigint {
  // 1 BTC = 10^12 atoms = 10^11 msat.
  return currency === 'SATS' ? (amount * 1000n) / 10n ** 12n : amount / 10n;
}

async function pullPaymentWithdraw(
  ctx: PublicContext,
  pullPaymentId: string,
  pr: string | null,
  k1: string | null,
  nonInteractiveOnly: boolean,
): Promise<void> {
  const pp = ctx.state.pullPayments.get(pullPaymentId);
  const now = ctx.state.now();
  const running = pp && !pp.archived && pp.startsAt <= now && (pp.expiresAt === null || pp.expiresAt > now);
  // Without a Lightning network in the stack there is no Lightning payout handler: BTCPay answers 404.
  if (!pp || !running || !supportsLnurl(pp) || !ctx.state.lightning) {
    ctx.res.writeHead(404).end();
    return;
  }
  const p = progress(pp);
  const remaining = p.limit - p.completed - p.awaiting;
  const remainingMsat = toMsat(remaining, pp.currency);
  const minMsat = remainingMsat < 1000n ? remainingMsat : 1000n;
  const current = `${ctx.origin}${ctx.url.pathname}${ctx.url.search}`;
  const request = {
    tag: 'withdrawRequest',
    callback: current,
    k1: k1 ?? pp.id,
    minWithdrawable: Number(minMsat),
    maxWithdrawable: Number(remainingMsat),
    defaultDescription: pp.name,
    balanceCheck: current,
    currentBalance: Number(remainingMsat),
  };
  if (pr === null) {
    sendJson(ctx.res, 200, request);
    return;
  }
  const decoded = ctx.state.lightning.decode(pr);
  if (!decoded) {
    lnurlError(ctx.res, 'Payment request was not a valid BOLT11');
    return;
  }
  const amountMsat = decoded.amountMsat ?? 0n;
  if (amountMsat < minMsat || amountMsat > remainingMsat) {
    lnurlError(
      ctx.res,
      `Payment request was not within bounds (${minMsat / 1000n} - ${remainingMsat / 1000n} sats)`,
    );
    return;
  }
  if (nonInteractiveOnly && !ctx.state.instantLightningPayouts) {
    lnurlError(
      ctx.res,
      'Payment cancelled: The payer must activate the lightning automated payment process and must check "Process approved payouts instantly".',
    );
    return;
  }
  if (nonInteractiveOnly && !pp.autoApproveClaims) {
    lnurlError(
      ctx.res,
      'Payment cancelled: The payer must activate "Automatically approve claims" in the settings of the pull payment.',
    );
    return;
  }
  const claimed = pp.currency === 'SATS' ? (amountMsat / 1000n) * 10n ** 12n : amountMsat * 10n;
  const payout = {
    id: newId(16),
    revision: 0,
    pullPaymentId: pp.id,
    date: now,
    destination: pr,
    originalCurrency: pp.currency,
    originalAmount: atomsToText(claimed, pp.currency === 'SATS' ? 0 : 8),
    payoutCurrency: 'BTC',
    payoutAmount: satsToBtc(amountMsat / 1000n),
    payoutMethodId: 'BTC-LN',
    state: (pp.autoApproveClaims
      ? 'AwaitingPayment'
      : 'AwaitingApproval') as PullPayment['payouts'][number]['state'],
    metadata: {},
  };
  pp.payouts.push(payout);
  if (!pp.autoApproveClaims) {
    sendJson(ctx.res, 200, {
      status: 'OK',
      reason: 'The request has been recorded, but still need to be approved before execution.',
    });
    return;
  }
  if (!ctx.state.instantLightningPayouts) {
    sendJson(ctx.res, 200, {
      status: 'OK',
      reason:
        'The request has been approved. The sender needs to send the payment manually. (Or activate the lightning automated payment processor)',
    });
    return;
  }
  try {
    payout.state = 'InProgress';
    await ctx.state.lightning.pay(pr);
    payout.state = 'Completed';
    sendJson(ctx.res, 200, { status: 'OK' });
  } catch {
    payout.state = 'Cancelled';
    lnurlError(ctx.res, 'Payment request could not be paid (Payout state: Cancelled)');
  }
}

/** GET /boltcard?p=&c=[&pr=] (or k1=p-c on the callback), BTCPay's checks in its order. */
async function boltcardTap(ctx: PublicContext): Promise<void> {
  const q = ctx.url.searchParams;
  let p = q.get('p');
  let c = q.get('c');
  const pr = q.get('pr');
  if (p === null || c === null) {
    const parts = q.get('k1')?.split('-');
    if (!parts || parts.length !== 2) {
      lnurlError(ctx.res, 'Missing p, c, or k1 query parameter');
      return;
    }
    [p, c] = parts as [string, string];
  }
  const issuer = ctx.state.issuerKey;
  const picc = decryptPicc(issuerEncryptionKey(issuer), p);
  if (!picc) {
    lnurlError(ctx.res, 'Invalid PICCData');
    return;
  }
  const id = bytesToHex(cardId(issuer, picc.uid));
  const reg = ctx.state.boltcards.get(id);
  // The counter must go up; it is stored only when the tap is paid (the `pr` step).
  if (!reg || reg.pullPaymentId === null || !(reg.counter < picc.counter)) {
    lnurlError(ctx.res, 'Replayed or expired query');
    return;
  }
  const keys = boltcardKeys(issuer, cardKey(issuer, picc.uid, reg.version, reg.pullPaymentId));
  if (!checkSunMac(keys.k2, picc, c)) {
    lnurlError(ctx.res, 'Replayed or expired query');
    return;
  }
  if (pr !== null) reg.counter = picc.counter;
  await pullPaymentWithdraw(ctx, reg.pullPaymentId, pr, `${p}-${c}`, true);
}

/** POST /api/v1/pull-payments/{id}/boltcards (GreenfieldPullPaymentController.RegisterBoltcard). */
export function registerBoltcard(
  state: BtcpayState,
  origin: string,
  pullPaymentId: string,
  body: Record<string, unknown>,
  onExistingQuery: string | null,
): Record<string, unknown> {
  const pp = state.pullPayments.get(pullPaymentId);
  if (!pp)
    throw new HttpError(404, { code: 'pullpayment-not-found', message: 'The pull payment was not found' });
  const issuer = state.issuerKey;
  let uidHex = typeof body['UID'] === 'string' ? body['UID'] : null;
  if (typeof body['LNURLW'] === 'string') {
    if (uidHex !== null)
      throw new HttpError(422, [
        { path: 'LNURLW', message: 'You should pass either LNURLW or UID but not both' },
      ]);
    const pm = /p=([a-fA-F0-9]{32})/.exec(body['LNURLW']);
    const picc = pm ? decryptPicc(issuerEncryptionKey(issuer), pm[1] ?? '') : null;
    if (!picc)
      throw new HttpError(422, [
        { path: 'LNURLW', message: "The LNURLW 'p=' parameter cannot be decrypted" },
      ]);
    uidHex = bytesToHex(picc.uid);
  }
  if (uidHex === null || !/^[0-9a-fA-F]{14}$/.test(uidHex)) {
    throw new HttpError(422, [{ path: 'UID', message: 'The UID is required and should be 7 bytes' }]);
  }
  if (!supportsLnurl(pp)) {
    throw new HttpError(400, {
      code: 'lnurl-not-supported',
      message: 'This pull payment currency should be BTC or SATS and accept lightning',
    });
  }
  const uid = hexToBytes(uidHex);
  const id = bytesToHex(cardId(issuer, uid));
  const onExisting =
    onExistingQuery === 'UpdateVersion' || onExistingQuery === 'KeepVersion'
      ? onExistingQuery
      : typeof body['onExisting'] === 'string'
        ? body['onExisting']
        : null;
  // BoltcardDataExtensions.LinkBoltcardToPullPayment: an upsert that always links the card to
  // this pull payment; UpdateVersion (the default) counts the version up, KeepVersion keeps it.
  // The keys come from the version and this pull payment, so relinking a card changes its keys.
  const existing = state.boltcards.get(id);
  const version = existing ? (onExisting === 'KeepVersion' ? existing.version : existing.version + 1) : 0;
  state.boltcards.set(id, { id, pullPaymentId, version, counter: existing?.counter ?? 0 });
  const keys = boltcardKeys(issuer, cardKey(issuer, uid, version, pullPaymentId));
  const hex = (b: Uint8Array) => bytesToHex(b, true);
  return {
    LNURLW: `${origin.replace(/^https?:\/\//, 'lnurlw://')}/boltcard`,
    version,
    K0: hex(keys.k0),
    K1: hex(keys.k1),
    K2: hex(keys.k2),
    K3: hex(keys.k3),
    K4: hex(keys.k4),
  };
}
