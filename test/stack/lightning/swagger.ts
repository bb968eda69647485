import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A small Swagger 2.0 validator for LND's REST description (../shared/lnd/*.swagger.json): every
 * request the LND stand-in receives and every response it sends is checked against it, so a
 * field our client invents, or an int64 sent as a number, fails the test instead of passing
 * against a server that only knows our assumptions.
 *
 * WHY our own instead of a library: these files use a tiny subset of Swagger (type, format,
 * items, properties, additionalProperties, enum, $ref, and in/path/query/body parameters), the
 * JSON conventions LND adds (int64 as strings, bytes as base64) need custom formats anyway, and
 * being strict about unknown properties (a typo in our request is an error, not "allowed by
 * default") is a choice a general validator would have to be bent into.
 */

interface Schema {
  type?: string;
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  enum?: string[];
  $ref?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header';
  required?: boolean;
  type?: string;
  format?: string;
  items?: Schema;
  schema?: Schema;
  enum?: string[];
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  responses: Record<string, { schema?: Schema }>;
}

interface SwaggerDoc {
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, Schema>;
}

export interface MatchedOperation {
  operationId: string;
  method: string;
  template: string;
  pathParams: Record<string, string>;
  doc: SwaggerDoc;
  op: Operation;
  streaming: boolean;
}

const DEFAULT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/lnd');
const FILES = ['lightning.swagger.json', 'router.swagger.json', 'invoices.swagger.json'];

const INT = /^-?\d+$/;
const UINT = /^\d+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

function checkFormat(value: string, format: string | undefined, where: string, errors: string[]): void {
  if (format === 'int64' && !INT.test(value)) errors.push(`${where}: "${value}" is not an int64 string`);
  if (format === 'uint64' && !UINT.test(value)) errors.push(`${where}: "${value}" is not a uint64 string`);
  if (format === 'byte' && !BASE64.test(value) && !BASE64URL.test(value))
    errors.push(`${where}: not base64 bytes`);
}

export class LndSwagger {
  private readonly docs: SwaggerDoc[];
  private readonly routes: {
    method: string;
    template: string;
    regex: RegExp;
    names: string[];
    doc: SwaggerDoc;
    op: Operation;
  }[] = [];

  constructor(dir = DEFAULT_DIR) {
    this.docs = FILES.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SwaggerDoc);
    for (const doc of this.docs) {
      for (const [template, methods] of Object.entries(doc.paths)) {
        const names: string[] = [];
        const pattern = template
          .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          .replace(/\{([^}]+)\}/g, (_m, name: string) => {
            names.push(name);
            return '([^/]+)';
          });
        for (const [method, op] of Object.entries(methods))
          this.routes.push({
            method: method.toUpperCase(),
            template,
            regex: new RegExp(`^${pattern}$`),
            names,
            doc,
            op,
          });
      }
    }
    // Templates with fewer parameters first, so a literal path wins over a parameter.
    const params = (t: string) => t.split('{').length;
    this.routes.sort((a, b) => params(a.template) - params(b.template));
  }

  /** The operation for a request, or null when LND has no such endpoint. */
  match(method: string, pathname: string): MatchedOperation | null {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(pathname);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      r.names.forEach((n, i) => {
        pathParams[n] = decodeURIComponent(m[i + 1] ?? '');
      });
      const description = (r.op.responses['200'] as { description?: string } | undefined)?.description ?? '';
      return {
        operationId: r.op.operationId,
        method,
        template: r.template,
        pathParams,
        doc: r.doc,
        op: r.op,
        streaming: description.includes('(streaming responses)'),
      };
    }
    return null;
  }

  /** Problems with a request (empty when it conforms). Unknown query parameters are problems. */
  validateRequest(m: MatchedOperation, query: URLSearchParams, body: unknown): string[] {
    const errors: string[] = [];
    const params = m.op.parameters ?? [];
    for (const p of params.filter((x) => x.in === 'path')) {
      const v = m.pathParams[p.name];
      if (v === undefined || v === '') errors.push(`path ${p.name}: missing`);
      else this.checkScalar(v, p, `path ${p.name}`, errors);
    }
    const known = new Set(params.filter((x) => x.in === 'query').map((x) => x.name));
    for (const key of new Set(query.keys())) {
      if (!known.has(key)) {
        errors.push(`query ${key}: not a parameter of ${m.operationId}`);
        continue;
      }
      const p = params.find((x) => x.name === key && x.in === 'query') as Parameter;
      const values = query.getAll(key);
      if (p.type !== 'array' && values.length > 1) errors.push(`query ${key}: given ${values.length} times`);
      for (const v of values)
        this.checkScalar(
          v,
          p.type === 'array' ? { ...(p.items ?? {}), name: key, in: 'query' } : p,
          `query ${key}`,
          errors,
        );
    }
    const bodyParam = params.find((x) => x.in === 'body');
    if (bodyParam?.schema) {
      if (body === undefined) {
        if (bodyParam.required) errors.push('body: missing');
      } else this.validate(body, bodyParam.schema, m.doc, 'body', errors);
    } else if (body !== undefined) errors.push(`body: ${m.operationId} takes none`);
    return errors;
  }

  /** Problems with a response body (one element of a stream when `streamItem`). */
  validateResponse(m: MatchedOperation, status: number, body: unknown, streamItem = false): string[] {
    const errors: string[] = [];
    const response = status === 200 ? m.op.responses['200'] : m.op.responses['default'];
    if (!response?.schema) {
      errors.push(`response ${status}: not described for ${m.operationId}`);
      return errors;
    }
    if (m.streaming && status === 200 && !streamItem) {
      errors.push(`response: ${m.operationId} streams; validate each line`);
      return errors;
    }
    this.validate(body, response.schema, m.doc, 'response', errors);
    return errors;
  }

  private checkScalar(
    value: string,
    p: Parameter | (Schema & { name: string; in: string }),
    where: string,
    errors: string[],
  ): void {
    const type = p.type;
    if (type === 'boolean' && !['true', 'false'].includes(value)) errors.push(`${where}: not a boolean`);
    if (type === 'integer' && !INT.test(value)) errors.push(`${where}: not an integer`);
    if (type === 'string') checkFormat(value, p.format, where, errors);
    if (p.enum && !p.enum.includes(value))
      errors.push(`${where}: "${value}" is not one of ${p.enum.join(', ')}`);
  }

  private resolve(schema: Schema, doc: SwaggerDoc): Schema {
    let s = schema;
    for (let depth = 0; s.$ref && depth < 20; depth++) {
      const name = s.$ref.replace('#/definitions/', '');
      const found = doc.definitions[name] ?? this.docs.find((d) => d.definitions[name])?.definitions[name];
      if (!found) throw new Error(`swagger: no definition ${name}`);
      s = found;
    }
    return s;
  }

  private validate(value: unknown, schema: Schema, doc: SwaggerDoc, where: string, errors: string[]): void {
    const s = this.resolve(schema, doc);
    if (s.enum) {
      if (typeof value !== 'string' || !s.enum.includes(value))
        errors.push(`${where}: ${JSON.stringify(value)} is not one of ${s.enum.join(', ')}`);
      return;
    }
    switch (s.type) {
      case 'string':
        if (typeof value !== 'string')
          errors.push(`${where}: expected a string (${s.format ?? 'text'}), got ${typeof value}`);
        else checkFormat(value, s.format, where, errors);
        return;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value))
          errors.push(`${where}: expected an integer`);
        return;
      case 'number':
        if (typeof value !== 'number') errors.push(`${where}: expected a number`);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') errors.push(`${where}: expected a boolean`);
        return;
      case 'array':
        if (!Array.isArray(value)) errors.push(`${where}: expected an array`);
        else if (s.items)
          value.forEach((v, i) => this.validate(v, s.items as Schema, doc, `${where}[${i}]`, errors));
        return;
      case 'object':
      case undefined: {
        // protojson with EmitUnpopulated (LND's REST marshaler) writes an unset message field as null.
        if (value === null && schema.$ref) return;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          errors.push(`${where}: expected an object`);
          return;
        }
        const props = s.properties ?? {};
        for (const [k, v] of Object.entries(value)) {
          const prop = props[k];
          if (prop) this.validate(v, prop, doc, `${where}.${k}`, errors);
          else if (s.additionalProperties && typeof s.additionalProperties === 'object')
            this.validate(v, s.additionalProperties, doc, `${where}.${k}`, errors);
          else if (s.properties || s.additionalProperties === false)
            errors.push(`${where}.${k}: not in the schema`);
        }
        return;
      }
      default:
        errors.push(`${where}: schema type ${s.type} not understood`);
    }
  }
}
