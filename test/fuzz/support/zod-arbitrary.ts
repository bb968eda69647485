import fc from 'fast-check';
import type { z } from 'zod';
import { anyText, NASTY_STRINGS } from './mutate';

/**
 * fast-check arbitraries from the contract's zod 4 schemas, read through `schema.def`: objects
 * (strict, optional and defaulted keys), strings (length, regex, trim), numbers (int, bounds,
 * exclusive bounds), booleans, enums, literals, unions, arrays, optional, nullable. A `hint` may
 * offer values for a path (ids that exist, a real PSBT) so calls get past "not found".
 */
export type Path = readonly (string | number)[];
export type Hint = (path: Path, schema: z.ZodType) => fc.Arbitrary<unknown> | undefined;

interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  in?: z.ZodType;
}

interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

/** Longest string or array generated from a schema; far larger ones come from the mutations. */
const GENERATED_STRING_MAX = 300;
const GENERATED_ARRAY_MAX = 6;

const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;
const checksOf = (def: Def): CheckDef[] => (def.checks ?? []).map((c) => c._zod.def);

export function arbitraryFromSchema(schema: z.ZodType, hint?: Hint, path: Path = []): fc.Arbitrary<unknown> {
  const base = build(schema, hint, path);
  const hinted = hint?.(path, schema);
  return hinted ? fc.oneof({ arbitrary: hinted, weight: 3 }, { arbitrary: base, weight: 1 }) : base;
}

/** Whether an object may leave this key out (optional, or defaulted). */
function isOptional(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

function build(schema: z.ZodType, hint: Hint | undefined, path: Path): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const shape = def.shape ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [key, field] of Object.entries(shape)) {
        model[key] = arbitraryFromSchema(field, hint, [...path, key]);
        if (!isOptional(field)) required.push(key);
      }
      return fc.record(model, { requiredKeys: required, noNullPrototype: true });
    }
    case 'string':
      return stringArb(checksOf(def));
    case 'number':
      return numberArb(checksOf(def));
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case 'literal':
      return fc.constantFrom(...(def.values ?? []));
    case 'union':
      return fc.oneof(...(def.options ?? []).map((o) => arbitraryFromSchema(o, hint, path)));
    case 'array': {
      const checks = checksOf(def);
      const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      const max = checks.find((c) => c.check === 'max_length')?.maximum ?? GENERATED_ARRAY_MAX;
      const element = arbitraryFromSchema(def.element as z.ZodType, hint, [...path, 0]);
      return fc.array(element, {
        minLength: min,
        maxLength: Math.max(min, Math.min(max, GENERATED_ARRAY_MAX)),
      });
    }
    case 'optional':
    case 'default':
    case 'prefault':
      return fc.option(arbitraryFromSchema(def.innerType as z.ZodType, hint, path), {
        nil: undefined,
        freq: 4,
      });
    case 'nullable':
      return fc.option(arbitraryFromSchema(def.innerType as z.ZodType, hint, path), { nil: null, freq: 4 });
    case 'pipe':
      return arbitraryFromSchema(def.in as z.ZodType, hint, path);
    case 'never':
      return fc.constant(undefined);
    default:
      return fc.jsonValue();
  }
}

function stringArb(checks: CheckDef[]): fc.Arbitrary<string> {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  let pattern: RegExp | null = null;
  let trims = false;
  for (const c of checks) {
    if (c.check === 'min_length') min = Math.max(min, c.minimum ?? 0);
    if (c.check === 'max_length') max = Math.min(max, c.maximum ?? max);
    if (c.check === 'length_equals') min = max = c.length ?? 0;
    if (c.check === 'string_format' && c.pattern) pattern = c.pattern;
    if (c.check === 'overwrite') trims = true;
  }
  const fits = (s: string) => s.length >= min && s.length <= max;
  let core: fc.Arbitrary<string>;
  if (pattern) {
    // fast-check cannot generate for the i flag; the pattern's own case is a subset that matches.
    const exact = new RegExp(pattern.source, pattern.flags.replace('i', ''));
    // No filter on length: a match that breaks the length rule is just one more invalid input.
    core = fc.stringMatching(exact);
  } else {
    const genMax = Math.max(min, Math.min(max, GENERATED_STRING_MAX));
    const nasty = NASTY_STRINGS.filter(fits);
    const atLimit = 'x'.repeat(Math.min(max === Number.POSITIVE_INFINITY ? 4096 : max, 70_000));
    // Lists filtered up front, never with .filter() on an arbitrary: a filter nothing passes spins forever.
    core = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: genMax }),
      fc.string({ unit: 'grapheme', minLength: min, maxLength: genMax }),
      fc.string({ unit: 'binary', minLength: min, maxLength: genMax }),
      ...(nasty.length > 0 ? [fc.constantFrom(...nasty)] : []),
      // At the limit exactly: off-by-one checks live here.
      ...(fits(atLimit) ? [fc.constant(atLimit)] : []),
    );
  }
  if (!trims) return core;
  // The schema trims: surrounding whitespace must not change the meaning.
  const ws = fc.constantFrom('', ' ', '\t', '\n', ' \u00a0');
  return fc.oneof(
    { arbitrary: core, weight: 3 },
    { arbitrary: fc.tuple(ws, core, ws).map(([a, s, b]) => `${a}${s}${b}`), weight: 1 },
  );
}

function numberArb(checks: CheckDef[]): fc.Arbitrary<number> {
  const int = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
  let lo = -Number.MAX_VALUE;
  let hi = Number.MAX_VALUE;
  let loExcl = false;
  let hiExcl = false;
  for (const c of checks) {
    if (c.check === 'greater_than' && c.value !== undefined && c.value >= lo) {
      lo = c.value;
      loExcl = c.inclusive === false;
    }
    if (c.check === 'less_than' && c.value !== undefined && c.value <= hi) {
      hi = c.value;
      hiExcl = c.inclusive === false;
    }
  }
  if (int) {
    const min = Math.max(Math.ceil(loExcl ? lo + 1 : lo), Number.MIN_SAFE_INTEGER);
    const max = Math.min(Math.floor(hiExcl ? hi - 1 : hi), Number.MAX_SAFE_INTEGER);
    const edges = [min, max, 0, 1, -1].filter((n) => n >= min && n <= max);
    return fc.oneof(
      { arbitrary: fc.integer({ min, max }), weight: 3 },
      { arbitrary: fc.integer({ min, max: Math.min(max, Math.max(min, 0) + 1000) }), weight: 3 },
      { arbitrary: fc.constantFrom(...edges), weight: 1 },
    );
  }
  const small = { min: Math.max(lo, 0), max: Math.min(hi, 1000) };
  const bounds = { minExcluded: loExcl, maxExcluded: hiExcl, noNaN: true, noDefaultInfinity: true };
  return fc.oneof(
    fc.double({ min: lo, max: hi, ...bounds }),
    // Everyday magnitudes (fee rates, amounts), when the schema's range has any.
    ...(small.min < small.max ? [fc.double({ ...small, ...bounds })] : []),
  );
}

/**
 * Values no schema allows, as either transport can deliver them: JSON (the loopback WebSocket)
 * and structured clone (Electron IPC: NaN, -0, BigInt, Dates, Maps, typed arrays).
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(
    null,
    undefined,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    2 ** 53,
    -(2 ** 53),
    1e308,
    0.1,
    1.5,
    -1,
    true,
    [],
    {},
    10n,
    new Date(0),
    new Map([[1, 2]]),
    new Set([1]),
    new Uint8Array([1, 2, 3]),
  ),
  anyText(40),
  fc.constantFrom(...NASTY_STRINGS),
  fc.constant(undefined).map(() => JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown),
  fc.constant(undefined).map(() => JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}') as unknown),
);

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'dropKey'; at: number }
  | { kind: 'huge'; at: number; size: number }
  | { kind: 'deep'; at: number; depth: number; array: boolean }
  | { kind: 'root'; value: unknown }
  | { kind: 'wrapArray' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('addKey' as const),
      at: fc.nat(),
      key: fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'then'),
        fc.string({ maxLength: 10 }),
      ),
      value: hostileValue,
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('dropKey' as const), at: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      at: fc.nat(),
      size: fc.constantFrom(10_000, 64 * 1024 - 100, 64 * 1024 + 10, 300_000),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      at: fc.nat(),
      depth: fc.constantFrom(100, 3_000, 20_000),
      array: fc.boolean(),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('root' as const), value: hostileValue }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'wrapArray' as const }), weight: 1 },
);

/** A valid input with one to three mutations: wrong types, extra or missing keys, size, depth. */
export function mutatedInput(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([value, muts]) => muts.reduce<unknown>((v, m) => applyMutation(v, m), clone(value)));
}

function applyMutation(value: unknown, m: Mutation): unknown {
  if (m.kind === 'root') return m.value;
  if (m.kind === 'wrapArray') return [value];
  const nodes = collect(value);
  const node = nodes[m.at % nodes.length] as Node;
  switch (m.kind) {
    case 'replace':
      return setAt(value, node, m.value);
    case 'huge':
      return setAt(value, node, 'A'.repeat(m.size));
    case 'deep':
      return setAt(value, node, nest(m.depth, m.array));
    case 'addKey': {
      const target = node.value;
      if (isPlainRecord(target)) defineOwn(target, m.key, m.value);
      else if (isPlainRecord(value)) defineOwn(value, m.key, m.value);
      return value;
    }
    case 'dropKey': {
      if (node.parent && isPlainRecord(node.parent) && typeof node.key === 'string') {
        delete (node.parent as Record<string, unknown>)[node.key];
      }
      return value;
    }
  }
}

interface Node {
  value: unknown;
  parent: unknown;
  key: string | number | null;
}

/** Every node of an input, down to a depth a real input has (a "deep" mutation nests far below it). */
function collect(
  value: unknown,
  parent: unknown = null,
  key: string | number | null = null,
  out: Node[] = [],
  depth = 0,
): Node[] {
  out.push({ value, parent, key });
  if (depth >= 12) return out;
  if (Array.isArray(value)) value.forEach((v, i) => collect(v, value, i, out, depth + 1));
  else if (isPlainRecord(value)) {
    for (const [k, v] of Object.entries(value)) collect(v, value, k, out, depth + 1);
  }
  return out;
}

function setAt(root: unknown, node: Node, next: unknown): unknown {
  if (node.parent === null || node.key === null) return next;
  if (Array.isArray(node.parent) && typeof node.key === 'number') node.parent[node.key] = next;
  else defineOwn(node.parent as Record<string, unknown>, String(node.key), next);
  return root;
}

/** An own data property even for "__proto__": what JSON.parse and structured clone produce. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function nest(depth: number, array: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  // fast-check prints counterexamples recursively; a short label keeps a report from overflowing.
  Object.defineProperty(v as object, fc.toStringMethod, {
    value: () => `<${array ? 'array' : 'object'} nested ${depth} deep>`,
  });
  return v;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) defineOwn(out, k, clone(v));
    return out;
  }
  return value;
}
