/**
 * BIP329 wallet labels (JSON Lines): one JSON object per line with `type`, `ref`, and optionally
 * `label`, `origin` and (outputs only) `spendable`. A missing `label` or `spendable` means "leave
 * as is". Unknown types are ignored with a warning, as the BIP asks; extra fields (height, fee,
 * value, keypath, ...) are accepted and not stored.
 */

export const LABEL_TYPES = ['tx', 'addr', 'pubkey', 'input', 'output', 'xpub'] as const;
export type LabelType = (typeof LABEL_TYPES)[number];

/** BIP329's suggested maximum; longer labels are truncated on import (with a warning). */
export const MAX_LABEL_LENGTH = 255;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_ORIGIN_LENGTH = 200;

export interface Bip329Record {
  type: LabelType;
  ref: string;
  /** undefined: not given (keep); null: empty label given (remove). */
  label?: string | null;
  origin?: string;
  spendable?: boolean;
}

export interface LineIssue {
  line: number;
  message: string;
}

export interface ParsedImport {
  records: { line: number; record: Bip329Record }[];
  errors: LineIssue[];
  warnings: LineIssue[];
  /** Lines that were not errors but carry nothing to store (unknown type, no label/spendable). */
  skipped: number;
}

const TXID = /^[0-9a-fA-F]{64}$/;
const OUTPOINT = /^([0-9a-fA-F]{64}):(\d{1,10})$/;
const PUBKEY = /^(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{66}|[0-9a-fA-F]{130})$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{100,120}$/;
const ADDRESS = /^[0-9A-Za-z]{14,100}$/;

/**
 * Checks and canonicalises a reference for its type (hex lower-cased; bech32 addresses too).
 * Returns null when it is not a valid reference.
 */
export function normalizeRef(type: LabelType, ref: string): string | null {
  switch (type) {
    case 'tx':
      return TXID.test(ref) ? ref.toLowerCase() : null;
    case 'input':
    case 'output': {
      const m = OUTPOINT.exec(ref);
      if (!m) return null;
      const n = Number(m[2]);
      if (!Number.isSafeInteger(n) || n > 0xffffffff) return null;
      return `${(m[1] as string).toLowerCase()}:${n}`;
    }
    case 'pubkey':
      return PUBKEY.test(ref) ? ref.toLowerCase() : null;
    case 'xpub':
      return BASE58.test(ref) ? ref : null;
    case 'addr':
      if (!ADDRESS.test(ref)) return null;
      // Bech32 is case-insensitive and written lower-case; base58 is case-sensitive.
      return /^(bc|tb|bcrt)1/i.test(ref) ? ref.toLowerCase() : ref;
  }
}

/**
 * Why a label cannot be stored as given, or null. A label is one line of text without control
 * characters: SQLite's length() stops at a NUL, so "\u0000" would even break the table's check.
 */
export function labelProblem(label: string): 'multiline' | 'control' | null {
  if (/[\r\n]/.test(label)) return 'multiline';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(label)) return 'control';
  return null;
}

function isLabelType(t: unknown): t is LabelType {
  return typeof t === 'string' && (LABEL_TYPES as readonly string[]).includes(t);
}

/** Parses one export. Never throws: every problem is reported against its 1-based line number. */
export function parseBip329(text: string): ParsedImport {
  const out: ParsedImport = { records: [], errors: [], warnings: [], skipped: 0 };
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((rawLine, i) => {
    const line = i + 1;
    const src = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (src.trim() === '') return;
    const fail = (message: string) => out.errors.push({ line, message });
    let obj: unknown;
    try {
      obj = JSON.parse(src);
    } catch {
      return fail('not valid JSON');
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return fail('not a JSON object');
    const o = obj as Record<string, unknown>;
    if (typeof o.type !== 'string') return fail('"type" is missing or not a string');
    if (typeof o.ref !== 'string') return fail('"ref" is missing or not a string');
    if (!isLabelType(o.type)) {
      out.warnings.push({ line, message: `unknown type "${o.type.slice(0, 20)}" ignored` });
      out.skipped++;
      return;
    }
    const type = o.type;
    const ref = normalizeRef(type, o.ref.trim());
    if (ref === null) return fail(`"ref" is not a valid ${type} reference`);
    const record: Bip329Record = { type, ref };
    if ('label' in o && o.label !== null) {
      if (typeof o.label !== 'string') return fail('"label" is not a string');
      const problem = labelProblem(o.label);
      if (problem === 'multiline') return fail('"label" spans several lines');
      if (problem === 'control') return fail('"label" contains a control character');
      let label = o.label.trim();
      if ([...label].length > MAX_LABEL_LENGTH) {
        label = [...label].slice(0, MAX_LABEL_LENGTH).join('');
        out.warnings.push({ line, message: `label truncated to ${MAX_LABEL_LENGTH} characters` });
      }
      record.label = label === '' ? null : label;
    }
    if ('origin' in o && o.origin !== null) {
      if (typeof o.origin !== 'string' || o.origin.length > MAX_ORIGIN_LENGTH)
        return fail('"origin" is not a descriptor string');
      if (o.origin !== '') record.origin = o.origin;
    }
    if ('spendable' in o && o.spendable !== null) {
      if (typeof o.spendable !== 'boolean') return fail('"spendable" is not true or false');
      if (type !== 'output') {
        out.warnings.push({ line, message: '"spendable" applies to outputs only; ignored' });
      } else {
        record.spendable = o.spendable;
      }
    }
    if (record.label === undefined && record.spendable === undefined) {
      out.skipped++;
      return;
    }
    out.records.push({ line, record });
  });
  return out;
}

/** One export line, keys in BIP order. */
export function formatBip329(record: Bip329Record): string {
  const o: Record<string, unknown> = { type: record.type, ref: record.ref };
  if (typeof record.label === 'string') o.label = record.label;
  if (record.origin) o.origin = record.origin;
  if (record.type === 'output' && record.spendable !== undefined) o.spendable = record.spendable;
  return JSON.stringify(o);
}

/** Descriptor function wrapping a key of each account type, as BIP329 origins write it. */
const ORIGIN_WRAP: Readonly<Record<string, [string, string]>> = {
  bip44: ['pkh(', ')'],
  bip49: ['sh(wpkh(', '))'],
  bip84: ['wpkh(', ')'],
  bip86: ['tr(', ')'],
};

/**
 * Our own key origin, e.g. wpkh([d34db33f/84'/1'/0']), from the account path m/84'/1'/0'; null
 * for an account imported without key origin (BIP329 then has nothing to name).
 */
export function walletOrigin(
  fingerprint: string | null,
  accountPath: string | null,
  accountType = 'bip84',
): string | undefined {
  if (fingerprint === null || accountPath === null) return undefined;
  const path = accountPath.replace(/^m\/?/, '').replace(/h/g, "'");
  const [open, close] = ORIGIN_WRAP[accountType] ?? ['wpkh(', ')'];
  return `${open}[${fingerprint.toLowerCase()}${path ? `/${path}` : ''}]${close}`;
}
