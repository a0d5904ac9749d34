/**
 * Checks recorded HTTP exchanges against the vendors' published API descriptions (Swagger 2.0 for
 * Argo CD, OpenAPI 3.0 for Cloudflare) with ajv. Tests use it; the simulators never call it, so
 * it costs nothing on the request path.
 *
 * Where the published spec cannot be satisfied by any real response, the checker applies a small,
 * named correction instead of weakening the whole check (see SPEC CORRECTIONS below).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { specPath } from './paths.js';

// ajv-formats is CommonJS; under ESM its default export is the plugin or a module wrapping it.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export interface ExchangeLike {
  method: string;
  /** Raw path as sent, including any API prefix (e.g. /client/v4/zones). */
  path: string;
  query?: Record<string, string | string[]> | URLSearchParams;
  requestContentType?: string;
  requestBody?: unknown;
  status: number;
  responseContentType?: string;
  responseBody?: unknown;
}

export interface ConformanceIssue {
  part: 'operation' | 'path' | 'query' | 'request' | 'response';
  message: string;
}

export interface ConformanceResult {
  /** The method + path is an operation of the spec. */
  documented: boolean;
  operationId?: string;
  template?: string;
  /** The spec documents a response for this status (exact, range like 4XX, or default). */
  responseDocumented: boolean;
  issues: ConformanceIssue[];
  valid: boolean;
}

export interface CheckerProfile {
  /**
   * Properties the server assigns even though the spec does not mark them readOnly; they are not
   * required in request bodies. (Cloudflare reuses its response schemas as request schemas.)
   */
  serverAssigned?: string[];
}

type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const REQUEST_DOC = 'request.json';
const RESPONSE_DOC = 'response.json';

interface PathTemplate {
  template: string;
  regex: RegExp;
  names: string[];
  literals: number;
  item: Json;
}

export class SpecChecker {
  private readonly ajv: Ajv;
  private readonly templates: PathTemplate[];
  private readonly basePath: string;
  private readonly isSwagger2: boolean;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly spec: Json;

  constructor(spec: Json, profile: CheckerProfile = {}) {
    spec = nullableWithoutType(spec);
    this.spec = spec;
    this.isSwagger2 = typeof spec.swagger === 'string';
    this.basePath = this.isSwagger2 ? (spec.basePath ?? '') : serverPath(spec);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    this.ajv.addSchema(spec, RESPONSE_DOC);
    this.ajv.addSchema(requestView(spec, profile), REQUEST_DOC);
    this.templates = Object.entries(spec.paths as Json)
      .map(([template, item]) => {
        const names: string[] = [];
        const pattern = template
          .split('/')
          .map((seg) =>
            seg.replace(/\{([^}]+)\}|([^{]+)/g, (_m, name: string | undefined, lit: string | undefined) => {
              if (name) {
                names.push(name);
                return '([^/]+)';
              }
              return escapeRegex(lit!);
            }),
          )
          .join('/');
        return { template, regex: new RegExp(`^${pattern}$`), names, literals: template.split('/').filter((s) => s && !s.includes('{')).length, item: item as Json };
      })
      .sort((a, b) => b.literals - a.literals);
  }

  /** Loads and caches the checker for one of the shared specs. */
  static load(name: 'argocd' | 'cloudflare' | 'netbox'): SpecChecker {
    const cached = loaded.get(name);
    if (cached) return cached;
    const spec = JSON.parse(readFileSync(specPath(name), 'utf8')) as Json;
    const checker = new SpecChecker(spec, name === 'cloudflare' ? { serverAssigned: ['id'] } : {});
    loaded.set(name, checker);
    return checker;
  }

  check(ex: ExchangeLike): ConformanceResult {
    const issues: ConformanceIssue[] = [];
    const result = (extra: Partial<ConformanceResult>): ConformanceResult => ({
      documented: false,
      responseDocumented: false,
      ...extra,
      issues,
      valid: issues.length === 0,
    });
    if (!ex.path.startsWith(this.basePath)) {
      issues.push({ part: 'operation', message: `${ex.path} is outside the API base path ${this.basePath}` });
      return result({});
    }
    const path = ex.path.slice(this.basePath.length) || '/';
    const method = ex.method.toLowerCase();
    const candidates = this.templates.filter((t) => t.regex.test(path));
    const match = candidates.find((t) => t.item[method]);
    if (!match) {
      issues.push({
        part: 'operation',
        message: candidates.length ? `${ex.method} is not documented for ${candidates[0].template}` : `no operation in the spec matches ${ex.method} ${path}`,
      });
      return result({});
    }
    const op = match.item[method] as Json;
    const opKey = `${method} ${match.template}`;
    const params = [...((match.item.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])].map((p) => this.deref(p));

    // Path parameters.
    const values = match.regex.exec(path)!.slice(1);
    match.names.forEach((name, i) => {
      const param = params.find((p) => p.in === 'path' && p.name === name);
      if (!param) return;
      let value: string;
      try {
        value = decodeURIComponent(values[i]);
      } catch {
        issues.push({ part: 'path', message: `path parameter ${name} is not valid percent-encoding` });
        return;
      }
      this.checkParam(param, [value], `${opKey} path ${name}`, issues, 'path');
    });

    // Query parameters (undocumented ones are allowed, as servers ignore them).
    const query = queryMap(ex.query);
    for (const param of params.filter((p) => p.in === 'query')) {
      const given = query.get(param.name);
      if (!given) {
        if (param.required) issues.push({ part: 'query', message: `required query parameter ${param.name} is missing` });
        continue;
      }
      this.checkParam(param, given, `${opKey} query ${param.name}`, issues, 'query');
    }

    this.checkRequestBody(op, opKey, params, ex, issues);
    const responseDocumented = this.checkResponse(op, opKey, ex, issues);
    return result({ documented: true, operationId: op.operationId, template: match.template, responseDocumented });
  }

  private checkParam(param: Json, raw: string[], key: string, issues: ConformanceIssue[], part: 'path' | 'query'): void {
    const schema: Json = this.isSwagger2 || !param.schema ? swaggerParamSchema(param) : param.schema;
    const resolved = this.deref(schema);
    const isArray = resolved.type === 'array';
    const format = param.collectionFormat ?? (param.explode === false ? 'csv' : 'multi');
    const value = isArray
      ? (format === 'multi' ? raw : raw[0].split(format === 'ssv' ? ' ' : format === 'pipes' ? '|' : ',')).map((v) => coerce(v, this.deref(resolved.items ?? {})))
      : coerce(raw[0], resolved);
    const validate = this.compile(`param ${key}`, schema, RESPONSE_DOC);
    if (!validate(value)) issues.push(...errors(part, `parameter ${param.name}`, validate.errors));
  }

  private checkRequestBody(op: Json, opKey: string, params: Json[], ex: ExchangeLike, issues: ConformanceIssue[]): void {
    const hasBody = ex.requestBody !== undefined && ex.requestBody !== '';
    let content: Record<string, Json | undefined> | undefined;
    let required = false;
    if (this.isSwagger2) {
      const bodyParam = params.find((p) => p.in === 'body');
      if (bodyParam) {
        required = bodyParam.required === true;
        const consumes: string[] = op.consumes ?? this.spec.consumes ?? ['application/json'];
        content = Object.fromEntries(consumes.map((c) => [c, bodyParam.schema]));
      }
    } else if (op.requestBody) {
      const rb = this.deref(op.requestBody);
      required = rb.required === true;
      content = Object.fromEntries(Object.entries((rb.content ?? {}) as Json).map(([k, v]) => [k, (v as Json).schema]));
    }
    if (!content) {
      if (hasBody) issues.push({ part: 'request', message: 'the operation documents no request body, but one was sent' });
      return;
    }
    const documentedSchemas = Object.values(content).filter(Boolean);
    // A requestBody with no schema (Cloudflare's DELETEs) constrains nothing.
    if (documentedSchemas.length === 0) return;
    if (!hasBody) {
      if (required) issues.push({ part: 'request', message: 'the request body is required' });
      return;
    }
    const type = (ex.requestContentType || 'application/json').toLowerCase();
    const mediaKey = Object.keys(content).find((k) => mediaMatches(k, type));
    if (!mediaKey) {
      issues.push({ part: 'request', message: `request content type ${type} is not documented (documented: ${Object.keys(content).join(', ')})` });
      return;
    }
    const schema = content[mediaKey];
    if (!schema) return;
    const validate = this.compile(`request ${opKey} ${mediaKey}`, schema, REQUEST_DOC);
    if (!validate(ex.requestBody)) issues.push(...errors('request', 'body', validate.errors));
  }

  private checkResponse(op: Json, opKey: string, ex: ExchangeLike, issues: ConformanceIssue[]): boolean {
    const responses = (op.responses ?? {}) as Json;
    const range = `${Math.floor(ex.status / 100)}XX`;
    const key = [String(ex.status), range, range.toLowerCase(), 'default'].find((k) => responses[k] !== undefined);
    if (!key) return false;
    const response = this.deref(responses[key]);
    const type = (ex.responseContentType || 'application/json').toLowerCase();
    let schema: Json | undefined;
    if (this.isSwagger2) {
      schema = response.schema;
      const produces: string[] = op.produces ?? this.spec.produces ?? ['application/json'];
      if (schema && !produces.some((p) => mediaMatches(p, type))) {
        issues.push({ part: 'response', message: `response content type ${type} is not documented (documented: ${produces.join(', ')})` });
        return true;
      }
    } else if (response.content) {
      const mediaKey = Object.keys(response.content).find((k) => mediaMatches(k, type));
      if (!mediaKey) {
        issues.push({ part: 'response', message: `response content type ${type} is not documented (documented: ${Object.keys(response.content).join(', ')})` });
        return true;
      }
      schema = response.content[mediaKey].schema;
    }
    if (!schema) return true;
    const effective = ex.status >= 400 ? failureOnly(schema) : schema;
    const validate = this.compile(`response ${opKey} ${key} ${effective === schema ? '' : 'failure-only'}`, effective, RESPONSE_DOC);
    if (ex.responseBody === undefined) {
      issues.push({ part: 'response', message: `HTTP ${ex.status}: empty body, but the spec documents one` });
    } else if (!validate(ex.responseBody)) {
      issues.push(...errors('response', `HTTP ${ex.status} body`, validate.errors));
    }
    return true;
  }

  /** Compiles a schema taken from the spec, with its local $refs pointed at the chosen document. */
  private compile(key: string, schema: Json, doc: string): ValidateFunction {
    const cacheKey = `${doc} ${key}`;
    let v = this.validators.get(cacheKey);
    if (!v) {
      v = this.ajv.compile(retarget(schema, doc));
      this.validators.set(cacheKey, v);
    }
    return v;
  }

  private deref(node: Json): Json {
    let n = node;
    for (let i = 0; n && typeof n.$ref === 'string' && i < 20; i++) n = pointer(this.spec, n.$ref);
    return n;
  }
}

const loaded = new Map<string, SpecChecker>();

/**
 * SPEC CORRECTION 1 (Cloudflare): many 4XX responses are documented as
 * allOf [<success envelope>, *_api-response-common-failure]. The success envelope pins
 * `success: true` (and a non-null result), the failure one `success: false` / `result: null`, so no
 * body can satisfy both. For error statuses only the failure member is checked.
 */
function failureOnly(schema: Json): Json {
  if (!Array.isArray(schema.allOf)) return schema;
  const failure = schema.allOf.find((s: Json) => typeof s.$ref === 'string' && /api-response-common-failure$/.test(s.$ref));
  return failure ?? schema;
}

/**
 * SPEC CORRECTION 2 (OpenAPI semantics): a required property marked readOnly applies to responses
 * only (OpenAPI 3.0, "readOnly"). Cloudflare's DNS record schema is shared by requests and
 * responses and lists readOnly fields (created_on, proxiable…) plus the server-assigned `id` as
 * required; the request view of the spec drops those from `required`.
 */
function requestView(spec: Json, profile: CheckerProfile): Json {
  const clone = structuredClone(spec) as Json;
  const serverAssigned = new Set(profile.serverAssigned ?? []);
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const obj = node as Json;
    if (Array.isArray(obj.required)) {
      obj.required = obj.required.filter((p: string) => !serverAssigned.has(p) && !propertyIsReadOnly(spec, obj, p, new Set()));
    }
    for (const v of Object.values(obj)) walk(v);
  };
  walk(clone);
  return clone;
}

function propertyIsReadOnly(spec: Json, schema: Json, prop: string, seen: Set<Json>): boolean {
  let s = schema;
  while (s && typeof s.$ref === 'string') s = pointer(spec, s.$ref);
  if (!s || typeof s !== 'object' || seen.has(s)) return false;
  seen.add(s);
  const p = s.properties?.[prop];
  if (p) {
    let resolved = p;
    while (resolved && typeof resolved.$ref === 'string') resolved = pointer(spec, resolved.$ref);
    if (resolved?.readOnly === true) return true;
  }
  return ['allOf', 'oneOf', 'anyOf'].some((k) => Array.isArray(s[k]) && s[k].some((sub: Json) => propertyIsReadOnly(spec, sub, prop, seen)));
}

/**
 * SPEC CORRECTION 3 (OpenAPI 3.0 semantics, used by NetBox's spec): boolean exclusiveMinimum/Maximum
 * become draft-07 numbers; and drf-spectacular (NetBox) writes nullable references as
 * `{allOf: [{$ref}], nullable: true}`, which ajv refuses ("nullable" needs "type"). OpenAPI means
 * "this schema, or null": rewrite such schemas to `anyOf: [schema, {type: null}]`.
 */
function nullableWithoutType(node: any): any {
  if (Array.isArray(node)) return node.map(nullableWithoutType);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = nullableWithoutType(v);
  // OpenAPI 3.0 keeps draft-04's boolean exclusiveMinimum/Maximum; ajv wants draft-07 numbers.
  for (const [flag, bound] of [
    ['exclusiveMaximum', 'maximum'],
    ['exclusiveMinimum', 'minimum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _n, readOnly, writeOnly, description, ...rest } = out;
    return {
      anyOf: [rest, { type: 'null' }],
      ...(readOnly !== undefined ? { readOnly } : {}),
      ...(writeOnly !== undefined ? { writeOnly } : {}),
      ...(description !== undefined ? { description } : {}),
    };
  }
  return out;
}

function retarget(schema: Json, doc: string): Json {
  return JSON.parse(JSON.stringify(schema), (k, v) => (k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${doc}${v}` : v));
}

function pointer(doc: Json, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: Json, key) => {
      if (node?.[key] === undefined) throw new Error(`unresolvable $ref ${ref}`);
      return node[key];
    }, doc);
}

function serverPath(spec: Json): string {
  const url: string | undefined = spec.servers?.[0]?.url;
  if (!url) return '';
  try {
    return new URL(url).pathname.replace(/\/$/, '');
  } catch {
    return url.replace(/\/$/, '');
  }
}

/** Swagger 2.0 parameters carry their schema keywords inline. */
function swaggerParamSchema(param: Json): Json {
  const keys = [
    'type',
    'format',
    'items',
    'enum',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minLength',
    'maxLength',
    'pattern',
    'minItems',
    'maxItems',
    'uniqueItems',
    'default',
  ];
  return Object.fromEntries(keys.filter((k) => param[k] !== undefined).map((k) => [k, param[k]]));
}

/** Query strings are text; turn them into the JSON types the schema expects before validating. */
function coerce(value: string, schema: Json): unknown {
  const type = schema.type;
  if ((type === 'number' || type === 'integer') && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function queryMap(query: ExchangeLike['query']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!query) return out;
  const entries: Array<[string, string]> =
    query instanceof URLSearchParams ? [...query] : Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]));
  for (const [k, v] of entries) out.set(k, [...(out.get(k) ?? []), v]);
  return out;
}

function mediaMatches(documented: string, actual: string): boolean {
  const d = documented.split(';')[0].trim().toLowerCase();
  const a = actual.split(';')[0].trim().toLowerCase();
  if (d === a || d === '*/*') return true;
  return d.endsWith('/*') && a.startsWith(d.slice(0, -1));
}

function errors(part: ConformanceIssue['part'], what: string, list: ErrorObject[] | null | undefined): ConformanceIssue[] {
  return (list ?? []).slice(0, 10).map((e) => ({
    part,
    message: `${what}${e.instancePath || ''}: ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`,
  }));
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Human-readable summary of the failing results, for assertion messages. */
export function describeFailures(results: Array<ConformanceResult & { method?: string; path?: string; status?: number }>): string {
  return results
    .filter((r) => !r.valid)
    .map((r) => `${r.method ?? ''} ${r.path ?? r.template ?? ''} → ${r.status ?? ''}\n  ${r.issues.map((i) => `[${i.part}] ${i.message}`).join('\n  ')}`)
    .join('\n');
}
