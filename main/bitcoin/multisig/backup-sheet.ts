import type { MultisigWallet } from '../../../shared/contract';

/** The sheet's words in the app's two languages (the sheet is made in main, where the renderer's i18n is not). */
const WORDS = {
  en: {
    title: 'Multisig wallet backup',
    needs: (k: number, n: number) => `This wallet needs ${k} of its ${n} keys to sign.`,
    recover: (k: number) =>
      `To recover it you need this sheet (or the descriptor on it) and ${k} of the keys below. The recovery words alone cannot rebuild the wallet: without the descriptor, nobody can find its addresses or spend from it. Keep a copy of this sheet with each key.`,
    descriptor: 'Wallet descriptor',
    firstAddress: 'First receive address (a restored wallet must show this one)',
    cosigners: 'Cosigners',
    label: 'Name',
    kind: 'Kept on',
    fingerprint: 'Fingerprint',
    path: 'Path',
    key: 'Extended public key',
    kinds: { ledger: 'Ledger', trezor: 'Trezor', seed: 'Flash (recovery words)', watch: 'Other signer' },
    scripts: {
      wsh: 'Native SegWit (P2WSH)',
      'sh-wsh': 'Nested SegWit (P2SH-P2WSH)',
      tr: 'Taproot (script path)',
    },
    public: 'Public information only: this sheet cannot spend, but it shows every address and balance.',
  },
  es: {
    title: 'Respaldo de billetera multifirma',
    needs: (k: number, n: number) => `Esta billetera necesita ${k} de sus ${n} claves para firmar.`,
    recover: (k: number) =>
      `Para recuperarla necesitas esta hoja (o el descriptor que contiene) y ${k} de las claves de abajo. Las palabras de recuperación solas no pueden reconstruir la billetera: sin el descriptor nadie puede encontrar sus direcciones ni gastar. Guarda una copia de esta hoja con cada clave.`,
    descriptor: 'Descriptor de la billetera',
    firstAddress: 'Primera dirección de recepción (una billetera restaurada debe mostrar esta)',
    cosigners: 'Cofirmantes',
    label: 'Nombre',
    kind: 'Guardada en',
    fingerprint: 'Huella',
    path: 'Ruta',
    key: 'Clave pública extendida',
    kinds: {
      ledger: 'Ledger',
      trezor: 'Trezor',
      seed: 'Flash (palabras de recuperación)',
      watch: 'Otro firmante',
    },
    scripts: {
      wsh: 'SegWit nativo (P2WSH)',
      'sh-wsh': 'SegWit anidado (P2SH-P2WSH)',
      tr: 'Taproot (ruta de script)',
    },
    public:
      'Solo información pública: esta hoja no puede gastar, pero muestra todas las direcciones y saldos.',
  },
} as const;

export type SheetLanguage = keyof typeof WORDS;

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * A printable page (self-contained HTML, no scripts or outside resources) with everything a
 * restore needs beside k keys: the descriptor as text and QR, each cosigner's fingerprint, path
 * and key, and the first address to check a restore against.
 */
export async function backupSheetHtml(wallet: MultisigWallet, language: SheetLanguage): Promise<string> {
  const w = WORDS[language];
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toString(wallet.descriptor, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  const n = wallet.cosigners.length;
  const rows = wallet.cosigners
    .map(
      (c) =>
        `<tr><td>${escape(c.label)}</td><td>${escape(w.kinds[c.kind])}</td><td class="mono">${escape(c.fingerprint)}</td><td class="mono">${escape(c.path)}</td><td class="mono key">${escape(c.xpub)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escape(w.title)}: ${escape(wallet.wallet.name)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#111}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}
.mono{font-family:ui-monospace,monospace;word-break:break-all}
.key{font-size:.75em}
.qr{width:280px;height:280px}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px;text-align:left;vertical-align:top}
.warn{border:2px solid #111;padding:.8em;font-weight:600}
</style></head><body>
<h1>${escape(w.title)}: ${escape(wallet.wallet.name)}</h1>
<p>${escape(w.scripts[wallet.script])} · ${escape(wallet.wallet.network)} · ${wallet.threshold}/${n}</p>
<p class="warn">${escape(w.needs(wallet.threshold, n))} ${escape(w.recover(wallet.threshold))}</p>
<h2>${escape(w.descriptor)}</h2>
<div class="qr">${qr}</div>
<p class="mono">${escape(wallet.descriptor)}</p>
<h2>${escape(w.firstAddress)}</h2>
<p class="mono">${escape(wallet.firstAddress)}</p>
<h2>${escape(w.cosigners)}</h2>
<table><thead><tr><th>${escape(w.label)}</th><th>${escape(w.kind)}</th><th>${escape(w.fingerprint)}</th><th>${escape(w.path)}</th><th>${escape(w.key)}</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p>${escape(w.public)}</p>
</body></html>
`;
}
