'use client';
import { configureMonacoYaml, type MonacoYaml } from 'monaco-yaml';
import type { JsonSchema, PluginDoc } from '@/modules/api/types';
import type { TaskLocation } from '@/modules/graph/lib/types';
import { taskAtLine } from './task-at-line';
import { monaco, monacoForYaml } from './monaco';
import type { Schema } from './schema-validate';

// Language features of the flow editor, registered once per page load:
//  - completion and formatting from monaco-yaml, driven by the flow JSON Schema served by the API
//    (its own validation is off: markers come from Baton's analysis worker and the server, which
//    know plugin defaults);
//  - hover documentation from Baton's plugin docs (richer than the schema's one-line descriptions);
//  - two themes that match the app.

export const FLOW_SCHEMA_URI = 'https://baton.dev/schemas/flow.json';

let yaml: MonacoYaml | undefined;
let hoverRegistered = false;

/** The schema with plugin titles on task-type completions. */
function completionSchema(schema: Schema, plugins: PluginDoc[]): Schema {
  const copy = structuredClone(schema) as Schema;
  const typeProp = copy.$defs?.task?.properties?.type as Schema | undefined;
  if (typeProp?.enum) {
    const byName = new Map<string, PluginDoc>();
    for (const p of plugins) for (const n of [p.id, ...p.aliases]) byName.set(n, p);
    typeProp.markdownEnumDescriptions = typeProp.enum.map((n) => {
      const p = byName.get(String(n));
      return p ? `**${p.title}** — ${p.group}` : '';
    });
  }
  // Required plugin properties may come from plugin defaults: not the editor's call (see schema-validate).
  for (const branch of copy.$defs?.task?.allOf ?? []) delete branch.then?.required;
  return copy;
}

export const APP_SCHEMA_URI = 'https://baton.dev/schemas/app.json';

/** The schemas monaco-yaml knows, by file pattern: flows (*.flow.yaml) and Apps (*.app.yaml). */
const schemas = new Map<string, { uri: string; fileMatch: string[]; schema: never }>();

function applySchemas() {
  const options = {
    validate: false,
    hover: false,
    completion: true,
    format: { enable: true, singleQuote: false, proseWrap: 'preserve' as const, printWidth: 120 },
    enableSchemaRequest: false,
    schemas: [...schemas.values()],
  };
  if (yaml) void yaml.update(options);
  else yaml = configureMonacoYaml(monacoForYaml, options);
  defineThemes();
}

export function configureFlowLanguage(schema: Schema, plugins: PluginDoc[]) {
  schemas.set(FLOW_SCHEMA_URI, { uri: FLOW_SCHEMA_URI, fileMatch: ['**/*.flow.yaml'], schema: completionSchema(schema, plugins) as never });
  applySchemas();
}

/** Completion for App documents (docs/apps.md) from the App JSON Schema; markers come from the page. */
export function configureAppLanguage(schema: Schema) {
  schemas.set(APP_SCHEMA_URI, { uri: APP_SCHEMA_URI, fileMatch: ['**/*.app.yaml'], schema: schema as never });
  applySchemas();
}

// ---- hover -----------------------------------------------------------------------------------

interface HoverContext {
  tasks: TaskLocation[];
  plugins: Map<string, PluginDoc>;
  schema?: Schema;
}

/** The latest analysis of each open model, read by the hover provider. */
const contexts = new Map<string, HoverContext>();

export function setHoverContext(uri: string, ctx: HoverContext) {
  contexts.set(uri, ctx);
}

function propertyDoc(schema: JsonSchema | undefined, key: string): string | undefined {
  const prop = schema?.properties?.[key];
  if (!prop) return undefined;
  const type =
    prop.type ??
    (prop.anyOf ?? prop.oneOf)
      ?.map((a) => a.type)
      .filter(Boolean)
      .join(' | ');
  const parts = [`**${key}**${type ? ` \`${Array.isArray(type) ? type.join(' | ') : type}\`` : ''}${schema?.required?.includes(key) ? ' · required' : ''}`];
  if (prop.description) parts.push(prop.description);
  if (prop.enum) parts.push(`One of: ${prop.enum.map((e) => `\`${String(e)}\``).join(', ')}`);
  if (prop.default !== undefined) parts.push(`Default: \`${JSON.stringify(prop.default)}\``);
  return parts.join('\n\n');
}

export function registerHover() {
  if (hoverRegistered) return;
  hoverRegistered = true;
  monaco.languages.registerHoverProvider('yaml', {
    provideHover(model, position) {
      const ctx = contexts.get(model.uri.toString());
      if (!ctx) return null;
      const task = taskAtLine(ctx.tasks, position.lineNumber);
      if (!task) return null;
      const plugin = task.type ? ctx.plugins.get(task.type) : undefined;
      const tv = task.typeValue;
      if (tv && tv.line === position.lineNumber && position.column >= tv.column && position.column <= tv.endColumn) {
        if (!plugin) return { contents: [{ value: `Unknown task type \`${task.type}\`. See the Plugins page for every type.` }] };
        return {
          range: new monaco.Range(tv.line, tv.column, tv.line, tv.endColumn),
          contents: [
            { value: `**${plugin.title}** · ${plugin.group}` },
            { value: plugin.description },
            { value: `\`${plugin.id}\`${plugin.aliases.length ? ` — also ${plugin.aliases.map((a) => `\`${a}\``).join(', ')}` : ''}` },
          ],
        };
      }
      const key = task.keys.find((k) => k.line === position.lineNumber && position.column >= k.column && position.column <= k.endColumn);
      if (!key) return null;
      const common = ctx.schema?.$defs?.task?.properties as Record<string, JsonSchema> | undefined;
      const doc = propertyDoc(plugin?.props, key.key) ?? propertyDoc(common ? { properties: common } : undefined, key.key);
      if (!doc) return null;
      return { range: new monaco.Range(key.line, key.column, key.line, key.endColumn), contents: [{ value: doc }] };
    },
  });
}

// ---- themes ----------------------------------------------------------------------------------

let themesDefined = false;

function defineThemes() {
  if (themesDefined) return;
  themesDefined = true;
  monaco.editor.defineTheme('baton-light', {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'type', foreground: '3b5bdb' },
      { token: 'string', foreground: '2b8a3e' },
    ],
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#a0a8b8', 'editor.lineHighlightBackground': '#f5f7fb', 'editorGutter.background': '#ffffff' },
  });
  monaco.editor.defineTheme('baton-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'type', foreground: '91a7ff' },
      { token: 'string', foreground: '8ce99a' },
    ],
    colors: { 'editor.background': '#0f1218', 'editorLineNumber.foreground': '#4a5263', 'editor.lineHighlightBackground': '#161b25', 'editorGutter.background': '#0f1218' },
  });
}

export { monaco };
