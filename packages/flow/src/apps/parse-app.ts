import type { z } from 'zod';
import { closest } from '@baton/plugin-sdk/text';
import { YamlSource, type FlowError, type PathSegment } from '../yaml-source';
import {
  APP_STAGES,
  appHeaderSchema,
  BLOCK_NAMES,
  BLOCK_PACKAGES,
  BLOCK_PROPERTIES,
  DEFAULT_LAYOUT,
  ROUTE_BLOCK_TYPE,
  type AppBlock,
  type AppDefinition,
  type AppLayoutStage,
  type AppStage,
  type BlockName,
} from './app-schema';

export interface AppParseResult {
  app?: AppDefinition;
  /** Every problem at its line and column, in document order; empty when the app is valid. */
  errors: FlowError[];
}

/** `Markdown`, or its full Kestra type `io.kestra.plugin.ee.apps.core.blocks.Markdown`. */
export function blockName(type: string): BlockName | undefined {
  if ((BLOCK_NAMES as string[]).includes(type)) return type as BlockName;
  const name = BLOCK_NAMES.find((n) => `${BLOCK_PACKAGES[n]}${n}` === type);
  return name;
}

/** zod issues as located errors, the way flows report them. */
function issuesToErrors(yaml: YamlSource, base: PathSegment[], issues: z.core.$ZodIssue[], raw: unknown, what: string): FlowError[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => yaml.error([...path, key], `unknown key '${key}' in ${what}`, true));
    }
    const parent = issue.path.slice(0, -1).reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), raw);
    const last = issue.path[issue.path.length - 1];
    if (
      issue.code === 'invalid_type' &&
      last !== undefined &&
      parent &&
      typeof parent === 'object' &&
      (parent as Record<PropertyKey, unknown>)[last as PropertyKey] === undefined
    ) {
      return [yaml.error(path.slice(0, -1), `missing required key '${String(last)}' in ${what}`)];
    }
    return [yaml.error(path, `${String(last ?? what)}: ${issue.message}`)];
  });
}

function parseBlock(yaml: YamlSource, path: PathSegment[], raw: unknown, errors: FlowError[]): AppBlock | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push(yaml.error(path, 'a block is a map with a type, e.g. "- type: io.kestra.plugin.ee.apps.core.blocks.Markdown"'));
    return undefined;
  }
  const { type, ...props } = raw as Record<string, unknown>;
  if (typeof type !== 'string') {
    errors.push(yaml.error(path, "missing required key 'type' in a block"));
    return undefined;
  }
  if (type === ROUTE_BLOCK_TYPE) return undefined; // Kestra's internal routing block: nothing to show
  const name = blockName(type);
  if (!name) {
    const hint = closest(type.split('.').pop() ?? type, BLOCK_NAMES);
    errors.push(yaml.error([...path, 'type'], `unknown block type '${type}'${hint ? `; did you mean '${BLOCK_PACKAGES[hint as BlockName]}${hint}'?` : ''}`));
    return undefined;
  }
  const parsed = BLOCK_PROPERTIES[name].safeParse(props);
  if (!parsed.success) {
    errors.push(...issuesToErrors(yaml, path, parsed.error.issues, props, `a ${name} block`));
    return undefined;
  }
  return { type: name, ...parsed.data } as AppBlock;
}

function parseLayout(yaml: YamlSource, raw: unknown, errors: FlowError[]): AppLayoutStage[] {
  if (raw === undefined) return DEFAULT_LAYOUT;
  if (!Array.isArray(raw)) {
    errors.push(yaml.error(['layout'], 'layout is a list of stages: "- on: OPEN" with its "blocks:"'));
    return [];
  }
  const seen = new Set<string>();
  return raw.flatMap((entry, i): AppLayoutStage[] => {
    const path: PathSegment[] = ['layout', i];
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      errors.push(yaml.error(path, 'a layout entry is a map with on and blocks'));
      return [];
    }
    const { on, blocks, ...rest } = entry as Record<string, unknown>;
    for (const key of Object.keys(rest)) errors.push(yaml.error([...path, key], `unknown key '${key}' in a layout entry; it has on and blocks`, true));
    if (typeof on !== 'string' || !(APP_STAGES as readonly string[]).includes(on)) {
      errors.push(yaml.error(on === undefined ? path : [...path, 'on'], `on must be one of ${APP_STAGES.join(', ')}${typeof on === 'string' ? `; got '${on}'` : ''}`));
      return [];
    }
    if (seen.has(on)) errors.push(yaml.error([...path, 'on'], `the stage ${on} appears twice in the layout; merge its blocks into one entry`));
    seen.add(on);
    if (!Array.isArray(blocks)) {
      errors.push(yaml.error(blocks === undefined ? path : [...path, 'blocks'], `the ${on} stage needs a list of blocks`));
      return [];
    }
    const parsed = blocks.map((b, j) => parseBlock(yaml, [...path, 'blocks', j], b, errors)).filter((b): b is AppBlock => b !== undefined);
    return [{ on: on as AppStage, blocks: parsed }];
  });
}

/**
 * Parses and checks an App document (Kestra's YAML). Nothing is thrown for user input: every
 * problem comes back with its line and column.
 */
export function parseApp(text: string): AppParseResult {
  const yaml = new YamlSource(text);
  if (yaml.syntaxErrors.length) return { errors: yaml.syntaxErrors };
  const doc = yaml.value;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return { errors: [yaml.error([], `an App is a YAML map starting with id, type: io.kestra.plugin.ee.apps.Execution, namespace and flowId`)] };
  }
  const errors: FlowError[] = [];
  const header = appHeaderSchema.safeParse(doc);
  if (!header.success) errors.push(...issuesToErrors(yaml, [], header.error.issues, doc, 'the app'));
  const layout = parseLayout(yaml, (doc as Record<string, unknown>).layout, errors);
  if (header.success && header.data.access.type === 'PUBLIC' && header.data.access.groups.length) {
    errors.push(yaml.error(['access', 'groups'], 'groups restrict a PRIVATE app; a PUBLIC app is open to anyone with the link, so remove groups or make it PRIVATE'));
  }
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (errors.length || !header.success) return { errors };
  return { app: { ...header.data, layout }, errors: [] };
}
