/**
 * Checks recorded exchanges with the Nutanix simulator against the v4 inventory (the endpoints and
 * model fields extracted from Nutanix's generated Go SDK; not an OpenAPI file, so ajv cannot be
 * used): the method and path are an operation of the inventory, a success's envelope names that
 * operation's response model, and every field of a returned entity is a field of its model.
 * Tests use it; the simulator never calls it.
 */
import { readFileSync } from 'node:fs';
import { specPath } from '../paths.js';

interface Endpoint {
  operation: string;
  method: string;
  path: string;
  query_params: string[];
  response_type: string;
}

interface Inventory {
  namespaces: Record<string, { endpoints: Endpoint[]; models?: Record<string, { fields?: Array<{ json: string }> }> }>;
}

export interface InventoryExchange {
  method: string;
  path: string;
  query?: Record<string, string[]>;
  status: number;
  responseBody?: unknown;
}

/** Fields the SDK's models carry on every object without listing them. */
const RESERVED = new Set(['$objectType', '$reserved', '$unknownFields']);

export class InventoryChecker {
  private readonly endpoints: Array<Endpoint & { regex: RegExp }>;
  private readonly models = new Map<string, Set<string>>();

  constructor(inventory: Inventory) {
    this.endpoints = Object.values(inventory.namespaces).flatMap((ns) =>
      ns.endpoints.map((e) => ({ ...e, regex: new RegExp(`^${e.path.replace(/\$/g, '\\$').replace(/\{[^}]+\}/g, '[^/]+')}$`) })),
    );
    for (const [ns, v] of Object.entries(inventory.namespaces)) {
      for (const [name, model] of Object.entries(v.models ?? {})) if (model.fields) this.models.set(`${ns}:${name}`, new Set(model.fields.map((f) => f.json)));
    }
  }

  static load(): InventoryChecker {
    return new InventoryChecker(JSON.parse(readFileSync(specPath('nutanixInventory'), 'utf8')) as Inventory);
  }

  /** The problems of one exchange (empty when it conforms). */
  check(e: InventoryExchange): string[] {
    const endpoint = this.endpoints.find((x) => x.method === e.method && x.regex.test(e.path));
    if (!endpoint) return [`${e.method} ${e.path} is not an operation of the v4 inventory`];
    const problems: string[] = [];
    for (const q of Object.keys(e.query ?? {}))
      if (!endpoint.query_params.includes(q)) problems.push(`query parameter ${q} is not one of ${endpoint.operation}'s (${endpoint.query_params.join(', ') || 'none'})`);
    if (e.status >= 300) return problems;
    const body = e.responseBody as { $objectType?: string; data?: unknown } | undefined;
    if (!body || typeof body !== 'object') return [...problems, 'no JSON envelope'];
    if (!body.$objectType?.endsWith(`.${endpoint.response_type}`)) problems.push(`envelope $objectType ${body.$objectType} is not ${endpoint.response_type}`);
    const items = Array.isArray(body.data) ? body.data : [body.data];
    for (const item of items) problems.push(...this.checkEntity(item));
    return problems;
  }

  /** Every field of an entity whose model the inventory lists must be a field of that model. */
  private checkEntity(item: unknown): string[] {
    if (!item || typeof item !== 'object') return [];
    const type = (item as { $objectType?: string }).$objectType;
    if (!type) return ['an entity without $objectType'];
    const [ns, , ...rest] = type.split('.');
    const fields = this.models.get(`${ns}:${rest[rest.length - 1]}`);
    if (!fields) return [];
    const problems = Object.keys(item)
      .filter((k) => !RESERVED.has(k) && !fields.has(k))
      .map((k) => `${type} has no field ${k}`);
    for (const value of Object.values(item)) {
      for (const nested of Array.isArray(value) ? value : [value]) if (nested && typeof nested === 'object' && '$objectType' in nested) problems.push(...this.checkEntity(nested));
    }
    return problems;
  }
}
