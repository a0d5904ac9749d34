// Blueprints (docs/blueprints.md): flows to start from. Shipped ones are the YAML files of
// blueprints/ at the repository root (one flow each, Kestra's `extend:` block for title,
// description and tags); a tenant's custom ones live in the `blueprints` table. Both are listed
// together; only custom ones can be saved, edited and deleted.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { isMap, parse, parseDocument } from 'yaml';
import type { Db } from '@baton/db';
import { BlueprintInputSchema, type Blueprint, type BlueprintKind, type BlueprintSummary } from '@baton/contract';
import { AppError } from './app-error';
import type { FlowService } from './flows';

/** What a blueprint's YAML says about itself. */
export interface ParsedBlueprint {
  flowId: string;
  namespace: string;
  title: string;
  description: string;
  tags: string[];
  types: string[];
}

/** Task and trigger types in order of first use (pluginDefaults and extend: are not tasks). */
function typesOf(doc: Record<string, unknown>): string[] {
  const seen = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.type === 'string' && typeof record.id === 'string') seen.add(record.type);
    for (const [key, value] of Object.entries(record)) if (key !== 'pluginDefaults' && key !== 'extend') walk(value);
  };
  for (const key of ['tasks', 'errors', 'finally', 'triggers']) walk(doc[key]);
  return [...seen];
}

/**
 * Reads the flow id, namespace and `extend:` metadata. Throws BAD_REQUEST when the YAML is not a
 * flow document at all; whether the flow validates is the caller's question.
 */
export function parseBlueprint(source: string): ParsedBlueprint {
  let doc: unknown;
  try {
    doc = parse(source);
  } catch (error) {
    throw new AppError('UNPROCESSABLE', `the blueprint is not valid YAML: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new AppError('UNPROCESSABLE', 'a blueprint is a flow: a YAML mapping with id, namespace and tasks');
  const flow = doc as Record<string, unknown>;
  if (typeof flow.id !== 'string' || typeof flow.namespace !== 'string')
    throw new AppError('UNPROCESSABLE', 'a blueprint is a flow: its YAML needs `id` and `namespace` (strings)');
  const extend = (flow.extend && typeof flow.extend === 'object' ? flow.extend : {}) as Record<string, unknown>;
  return {
    flowId: flow.id,
    namespace: flow.namespace,
    title: typeof extend.title === 'string' && extend.title.trim() ? extend.title.trim() : flow.id,
    description: typeof extend.description === 'string' ? extend.description : typeof flow.description === 'string' ? flow.description : '',
    tags: Array.isArray(extend.tags) ? extend.tags.filter((t): t is string => typeof t === 'string') : [],
    types: typesOf(flow),
  };
}

/**
 * The YAML with its `extend:` block set to these fields (the rest of the document, comments
 * included, untouched), as the blueprint is stored.
 */
export function withExtend(source: string, fields: { title?: string; description?: string; tags?: string[] }): string {
  const doc = parseDocument(source);
  if (doc.errors.length) throw new AppError('UNPROCESSABLE', `the blueprint is not valid YAML: ${doc.errors[0].message}`);
  if (!isMap(doc.contents)) throw new AppError('UNPROCESSABLE', 'a blueprint is a flow: a YAML mapping with id, namespace and tasks');
  if (fields.title !== undefined) doc.setIn(['extend', 'title'], fields.title);
  if (fields.description !== undefined) doc.setIn(['extend', 'description'], fields.description);
  if (fields.tags !== undefined) doc.setIn(['extend', 'tags'], fields.tags);
  return doc.toString();
}

/** Each YAML file of the folder as a shipped blueprint, sorted by title; id = file name without extension. */
export function loadShippedBlueprints(dir: string, warn: (message: string) => void = () => {}): Blueprint[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    warn(`no blueprints folder at ${dir}: only custom blueprints are listed (set BATON_BLUEPRINTS_DIR)`);
    return [];
  }
  const out: Blueprint[] = [];
  for (const file of files) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    try {
      const parsed = parseBlueprint(source);
      out.push({ id: file.replace(/\.ya?ml$/, ''), kind: 'shipped', ...parsed, source, updated: null, updatedBy: null });
    } catch (error) {
      // One broken file must not hide the library: it is skipped and named in the log.
      warn(`blueprint ${file} skipped: ${(error as Error).message}`);
    }
  }
  return out.sort((a, b) => a.title.localeCompare(b.title));
}

type Row = {
  id: string;
  title: string;
  description: string;
  tags: string[];
  flowId: string;
  namespace: string;
  source: string;
  updatedAt: Date;
  updatedBy: string | null;
};

function customView(row: Row): Blueprint {
  return {
    id: row.id,
    kind: 'custom',
    title: row.title,
    description: row.description,
    tags: row.tags,
    flowId: row.flowId,
    namespace: row.namespace,
    types: typesOf((parse(row.source) ?? {}) as Record<string, unknown>),
    source: row.source,
    updated: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

const summary = ({ source: _source, ...rest }: Blueprint): BlueprintSummary => rest;

/** Every word of the query in the title, description, tags, flow id or task types (case-insensitive). */
function matches(b: Blueprint, q: string | undefined, tags: string[]): boolean {
  if (tags.length && !tags.every((t) => b.tags.some((bt) => bt.toLowerCase() === t.toLowerCase()))) return false;
  if (!q?.trim()) return true;
  const text = [b.title, b.description, b.flowId, b.namespace, ...b.tags, ...b.types].join('\n').toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

export interface BlueprintQuery {
  q?: string;
  /** All must match. */
  tags?: string[];
  kind?: BlueprintKind;
}

export class BlueprintService {
  constructor(
    private readonly db: Db,
    private readonly flows: FlowService,
    /** The shipped library's folder (BATON_BLUEPRINTS_DIR, or blueprints/ of the checkout). */
    private readonly dir: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Read on every call: the folder holds about ten small files, and a new file shows without a restart. */
  private shipped(): Blueprint[] {
    return loadShippedBlueprints(this.dir, this.warn);
  }

  private async custom(tenant: string): Promise<Blueprint[]> {
    const rows = await this.db.blueprint.findMany({ where: { tenant }, orderBy: { updatedAt: 'desc' } });
    return rows.map(customView);
  }

  /** Shipped first (by title), then the tenant's own (newest first). */
  async list(tenant: string, query: BlueprintQuery = {}): Promise<BlueprintSummary[]> {
    const all = [...(query.kind === 'custom' ? [] : this.shipped()), ...(query.kind === 'shipped' ? [] : await this.custom(tenant))];
    return all.filter((b) => matches(b, query.q, query.tags ?? [])).map(summary);
  }

  /** Every tag with how many blueprints carry it, most used first. */
  async tags(tenant: string, kind?: BlueprintKind): Promise<{ name: string; count: number }[]> {
    const counts = new Map<string, number>();
    for (const b of await this.list(tenant, { kind })) for (const t of b.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  }

  async get(tenant: string, kind: BlueprintKind, id: string): Promise<Blueprint> {
    if (kind === 'shipped') {
      const found = this.shipped().find((b) => b.id === id);
      if (!found) throw new AppError('NOT_FOUND', `no shipped blueprint ${id}; GET /api/v1/${tenant}/blueprints/search lists them`);
      return found;
    }
    const row = await this.db.blueprint.findUnique({ where: { tenant_id: { tenant, id } } });
    if (!row) throw new AppError('NOT_FOUND', `no custom blueprint ${id} in tenant ${tenant}`);
    return customView(row);
  }

  /**
   * The stored YAML: the given metadata written into its `extend:` block. The flow must validate
   * as it would in this tenant (422 with every error at its line and column otherwise).
   */
  private async prepare(tenant: string, input: unknown) {
    const parsedInput = BlueprintInputSchema.safeParse(input);
    if (!parsedInput.success) {
      const issue = parsedInput.error.issues[0];
      throw new AppError(
        'UNPROCESSABLE',
        `${issue.path.join('.') || 'body'}: ${issue.message}; send {"source": "<flow YAML>", "title": "...", "description": "...", "tags": ["..."]}`,
      );
    }
    const { source, ...fields } = parsedInput.data;
    const stored = withExtend(source, fields);
    const result = await this.flows.validateIn(tenant, stored);
    if (result.errors.length) {
      const first = result.errors[0];
      throw new AppError(
        'INVALID_FLOW',
        `the blueprint's flow has ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; the first: line ${first.line}, column ${first.column}: ${first.message}`,
        result.errors,
      );
    }
    const parsed = parseBlueprint(stored);
    return { title: parsed.title, description: parsed.description, tags: parsed.tags, flowId: parsed.flowId, namespace: parsed.namespace, source: stored };
  }

  async create(tenant: string, input: unknown, by: string): Promise<Blueprint> {
    const fields = await this.prepare(tenant, input);
    const row = await this.db.blueprint.create({ data: { tenant, id: randomUUID(), ...fields, createdBy: by, updatedBy: by } });
    return customView(row);
  }

  async update(tenant: string, id: string, input: unknown, by: string): Promise<Blueprint> {
    await this.get(tenant, 'custom', id);
    const fields = await this.prepare(tenant, input);
    const row = await this.db.blueprint.update({ where: { tenant_id: { tenant, id } }, data: { ...fields, updatedBy: by, updatedAt: new Date() } });
    return customView(row);
  }

  async delete(tenant: string, id: string): Promise<{ id: string; title: string; deleted: true }> {
    const found = await this.get(tenant, 'custom', id);
    await this.db.blueprint.delete({ where: { tenant_id: { tenant, id } } });
    return { id, title: found.title, deleted: true };
  }
}
