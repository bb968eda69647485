import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Checks requests and responses against BTCPay's published Greenfield spec
 * (../shared/btcpay/greenfield.openapi.json), so the stand-in answers what a real server is
 * documented to answer, and a client that strays from the spec is caught.
 *
 * Ajv does the validating; this module only turns OpenAPI 3.0 into plain JSON Schema:
 * - `nullable: true` becomes `anyOf [schema, null]`;
 * - `allOf` of object parts is merged into one object. The spec writes `allOf: [Base,
 *   {additionalProperties: false, ...}]`, which strict JSON Schema reads as "no property of Base
 *   allowed"; OpenAPI tools (and BTCPay's own generator) mean the union of the parts.
 */

export const SPEC_PATH = path.resolve(
  import.meta.dirname,
  '../../../../shared/btcpay/greenfield.openapi.json',
);

type Json = Record<string, unknown>;

export interface SpecIssue {
  where: 'request' | 'response';
  method: string;
  path: string;
  status?: number;
  message: string;
}

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  /** Path template as a regex with one group per parameter, in order. */
  pattern: RegExp;
  paramNames: string[];
  security: unknown[] | undefined;
}

interface ParamDef {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Json;
}

export interface SpecValidator {
  /** The operation a request path matches, or null (the stand-in then answers 404). */
  match(method: string, pathname: string): { op: Operation; params: Record<string, string> } | null;
  checkRequest(op: Operation, url: URL, params: Record<string, string>, body: unknown): string[];
  checkResponse(op: Operation, status: number, body: unknown): string[];
  /** Checks `value` against `components.schemas[name]` (e.g. a webhook body). */
  checkComponent(name: string, value: unknown): string[];
  hasComponent(name: string): boolean;
}

let cached: { spec: Json; validator: SpecValidator } | null = null;

export function loadSpecValidator(file: string = SPEC_PATH): SpecValidator {
  if (cached) return cached.validator;
  const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  const validator = buildValidator(spec);
  cached = { spec, validator };
  return validator;
}

function buildValidator(spec: Json): SpecValidator {
  const components = (spec['components'] ?? {}) as Json;
  const rawSchemas = (components['schemas'] ?? {}) as Record<string, Json>;
  const parameters = (components['parameters'] ?? {}) as Record<string, Json>;

  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('decimal', /^-?\d+(\.\d+)?$/);
  for (const f of collectFormats(spec)) if (!ajv.formats[f]) ajv.addFormat(f, true);

  const resolve = (ref: string): Json => {
    const name = ref.replace('#/components/schemas/', '');
    const found = rawSchemas[name];
    if (!found) throw new Error(`spec: unresolved ${ref}`);
    return found;
  };
  const converted: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(rawSchemas)) converted[name] = convert(schema, resolve);
  ajv.addSchema({ $id: 'greenfield', definitions: converted });

  const compile = (schema: Json): ValidateFunction => ajv.compile(convert(schema, resolve));
  const cache = new Map<object, ValidateFunction>();
  const validatorFor = (schema: Json): ValidateFunction => {
    let fn = cache.get(schema);
    if (!fn) {
      fn = compile(schema);
      cache.set(schema, fn);
    }
    return fn;
  };

  const operations: Operation[] = [];
  const paths = (spec['paths'] ?? {}) as Record<string, Json>;
  for (const [template, item] of Object.entries(paths)) {
    for (const method of ['get', 'post', 'put', 'delete', 'patch']) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const paramNames: string[] = [];
      const pattern = new RegExp(
        '^' +
          template
            .replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`))
            .replace(/\{(\w+)\}/g, (_m, name: string) => {
              paramNames.push(name);
              return '([^/]+)';
            }) +
          '$',
      );
      operations.push({
        method: method.toUpperCase(),
        template,
        operationId: String(op['operationId'] ?? `${method} ${template}`),
        pattern,
        paramNames,
        security: op['security'] as unknown[] | undefined,
      });
    }
  }
  // Literal segments beat parameters: /apps/pos/{id} must not be read as /apps/{appId}/... etc.
  operations.sort((a, b) => literalWeight(b.template) - literalWeight(a.template));

  const opDef = (op: Operation): Json => (paths[op.template] as Json)[op.method.toLowerCase()] as Json;
  const paramsOf = (op: Operation): ParamDef[] => {
    const pathLevel = ((paths[op.template] as Json)['parameters'] ?? []) as Json[];
    const opLevel = (opDef(op)['parameters'] ?? []) as Json[];
    const all = [...pathLevel, ...opLevel].map((p) => {
      const ref = p['$ref'];
      return (typeof ref === 'string' ? parameters[ref.replace('#/components/parameters/', '')] : p) as Json;
    });
    return all.map((p) => ({
      name: String(p['name']),
      in: p['in'] as ParamDef['in'],
      required: p['required'] === true,
      schema: (p['schema'] ?? {}) as Json,
    }));
  };

  return {
    match(method, pathname) {
      for (const op of operations) {
        if (op.method !== method) continue;
        const m = op.pattern.exec(pathname);
        if (!m) continue;
        const params: Record<string, string> = {};
        op.paramNames.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1] ?? '');
        });
        return { op, params };
      }
      return null;
    },
    checkRequest(op, url, params, body) {
      const issues: string[] = [];
      for (const p of paramsOf(op)) {
        if (p.in === 'path') {
          const value = params[p.name];
          if (value === undefined) issues.push(`path parameter ${p.name} missing`);
          else
            issues.push(...run(validatorFor(p.schema), coerce(value, p.schema, resolve), `path.${p.name}`));
        } else if (p.in === 'query') {
          const values = url.searchParams.getAll(p.name);
          if (values.length === 0) {
            if (p.required) issues.push(`query parameter ${p.name} missing`);
            continue;
          }
          const isArray = schemaType(p.schema, resolve) === 'array';
          const value = isArray
            ? values.map((v) => coerce(v, itemsOf(p.schema, resolve), resolve))
            : coerce(values[values.length - 1] ?? '', p.schema, resolve);
          issues.push(...run(validatorFor(p.schema), value, `query.${p.name}`));
        }
      }
      const requestBody = opDef(op)['requestBody'] as Json | undefined;
      if (requestBody) {
        const schema = jsonSchemaOf(requestBody);
        if (body === undefined) {
          if (requestBody['required'] === true) issues.push('request body missing');
        } else if (schema) {
          issues.push(...run(validatorFor(schema), body, 'body'));
        }
      } else if (body !== undefined && op.method !== 'GET' && op.method !== 'DELETE') {
        issues.push('request body sent to an operation that takes none');
      }
      return issues;
    },
    hasComponent: (name) => rawSchemas[name] !== undefined,
    checkComponent(name, value) {
      const schema = rawSchemas[name];
      if (!schema) return [`the spec has no schema ${name}`];
      return run(validatorFor(schema), value, name);
    },
    checkResponse(op, status, body) {
      const responses = (opDef(op)['responses'] ?? {}) as Record<string, Json>;
      const declared =
        responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses['default'];
      if (!declared) return [`status ${status} is not declared for ${op.operationId}`];
      const schema = jsonSchemaOf(declared);
      // A status the spec lists without content says nothing of the body: BTCPay sends its
      // `{code, message}` error there, which the spec does not describe.
      if (!schema) return [];
      if (body === undefined) return [`status ${status} of ${op.operationId} needs a JSON body`];
      return run(validatorFor(schema), body, 'response');
    },
  };
}

function run(fn: ValidateFunction, value: unknown, where: string): string[] {
  if (fn(value)) return [];
  return (fn.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message ?? 'is invalid'}`);
}

function jsonSchemaOf(holder: Json): Json | null {
  const content = holder['content'] as Record<string, Json> | undefined;
  const json = content?.['application/json'];
  return (json?.['schema'] as Json | undefined) ?? null;
}

function literalWeight(template: string): number {
  return (
    template.split('/').filter((s) => s !== '' && !s.startsWith('{')).length * 100 -
    template.split('{').length
  );
}

function schemaType(schema: Json, resolve: (ref: string) => Json): unknown {
  const ref = schema['$ref'];
  if (typeof ref === 'string') return schemaType(resolve(ref), resolve);
  return schema['type'];
}

function itemsOf(schema: Json, resolve: (ref: string) => Json): Json {
  const ref = schema['$ref'];
  if (typeof ref === 'string') return itemsOf(resolve(ref), resolve);
  return (schema['items'] ?? {}) as Json;
}

/** Query and path values are text; the schema says what they stand for. */
function coerce(value: string, schema: Json, resolve: (ref: string) => Json): unknown {
  const type = schemaType(schema, resolve);
  if (type === 'number' || type === 'integer') {
    const n = Number(value);
    return value.trim() === '' || Number.isNaN(n) ? value : n;
  }
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

function collectFormats(node: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) for (const v of node) collectFormats(v, found);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'format' && typeof v === 'string') found.add(v);
      else collectFormats(v, found);
    }
  }
  return found;
}

const OPENAPI_ONLY = new Set(['discriminator', 'xml', 'externalDocs', 'example', 'deprecated']);

/** OpenAPI 3.0 schema → JSON Schema (see the module comment). Refs stay refs. */
function convert(schema: Json, resolve: (ref: string) => Json, depth = 0): Json {
  if (depth > 40) return {};
  let out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (OPENAPI_ONLY.has(k) || k.startsWith('x-')) continue;
    if (k === 'properties' && v && typeof v === 'object') {
      const props: Json = {};
      for (const [name, sub] of Object.entries(v as Json))
        props[name] = convert(sub as Json, resolve, depth + 1);
      out[k] = props;
    } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && v && typeof v === 'object') {
      out[k] = convert(v as Json, resolve, depth + 1);
    } else if ((k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
      out[k] = v.map((s) => convert(s as Json, resolve, depth + 1));
    } else if (k === '$ref' && typeof v === 'string') {
      out[k] = v.replace('#/components/schemas/', 'greenfield#/definitions/');
    } else if (k !== 'allOf' && k !== 'nullable') {
      out[k] = v;
    }
  }
  // OpenAPI 3.0 keeps draft-04's boolean exclusiveMinimum/Maximum beside minimum/maximum.
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else {
      delete out[flag];
    }
  }
  const allOf = schema['allOf'];
  if (Array.isArray(allOf)) out = mergeAllOf(out, allOf as Json[], resolve, depth);
  if (schema['nullable'] === true) {
    const { description: _d, ...rest } = out;
    out = { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

function mergeAllOf(outer: Json, parts: Json[], resolve: (ref: string) => Json, depth: number): Json {
  const resolvedParts = parts.map((p) => (typeof p['$ref'] === 'string' ? resolve(p['$ref']) : p));
  const isObjectPart = (p: Json): boolean => {
    if (p['type'] === 'object' || p['properties'] !== undefined) return true;
    const inner = p['allOf'];
    return (
      Array.isArray(inner) &&
      (inner as Json[]).every((q) => isObjectPart(typeof q['$ref'] === 'string' ? resolve(q['$ref']) : q))
    );
  };
  if (!resolvedParts.every(isObjectPart)) {
    // e.g. `allOf: [{$ref: StoreId}]` with a description: the one part is the schema.
    const converted = parts.map((p) => convert(p, resolve, depth + 1));
    if (converted.length === 1) return { ...outer, ...(converted[0] as Json) };
    return { ...outer, allOf: converted };
  }
  const properties: Json = { ...((outer['properties'] as Json | undefined) ?? {}) };
  const required = new Set<string>((outer['required'] as string[] | undefined) ?? []);
  let closed = outer['additionalProperties'] === false;
  for (const part of resolvedParts) {
    const flat = convert(part, resolve, depth + 1);
    const body = (flat['anyOf'] as Json[] | undefined)?.[0] ?? flat;
    Object.assign(properties, (body['properties'] as Json | undefined) ?? {});
    for (const r of (body['required'] as string[] | undefined) ?? []) required.add(r);
    if (body['additionalProperties'] === false) closed = true;
  }
  const merged: Json = { ...outer, type: 'object', properties };
  if (required.size > 0) merged['required'] = [...required];
  if (closed) merged['additionalProperties'] = false;
  else delete merged['additionalProperties'];
  return merged;
}
