import type { Node } from './ast';
import { walk } from './ast';
import { Failure } from './errors';
import { compileJq } from './jq-parse';
import { MAX_DATA_DEPTH } from './limits';
import { BODY_VARIABLE, isTemplate, parseTemplate, templateErrors } from './template';
import { isPlainObject } from './values';

/** Every template string inside a value (deep; object keys are not templates). */
function forEachTemplate(value: unknown, visit: (template: string) => void, depth = 0): void {
  if (depth > MAX_DATA_DEPTH) return;
  if (typeof value === 'string') {
    if (isTemplate(value)) visit(value);
  } else if (Array.isArray(value)) {
    for (const item of value) forEachTemplate(item, visit, depth + 1);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) forEachTemplate(value[key], visit, depth + 1);
  }
}

/**
 * Expression trees of every parsable template in a value, tags' expressions included, with the
 * names the template binds itself (for, set, macro parameters); broken ones are skipped (render
 * reports them).
 */
function forEachExpression(value: unknown, visit: (node: Node, locals: ReadonlySet<string>) => void): void {
  forEachTemplate(value, (text) => {
    let template;
    try {
      template = parseTemplate(text);
    } catch (e) {
      if (e instanceof Failure) return;
      throw e;
    }
    for (const segment of template.exprs) visit(segment.node, template.locals);
    for (const macro of template.macros.values()) {
      for (const d of macro.defaults) if (d) visit(d.node, template.locals);
    }
  });
}

export function findFunctionCalls(value: unknown, names: string[]): { fn: string; arg?: string }[] {
  const wanted = new Set(names);
  const found: { fn: string; arg?: string }[] = [];
  const seen = new Set<string>();
  forEachExpression(value, (root) =>
    walk(root, (node) => {
      if (node.type !== 'call' || !wanted.has(node.name)) return;
      const first = node.args[0]?.value;
      const arg = first?.type === 'literal' && typeof first.value === 'string' ? first.value : undefined;
      const key = `${node.name}\u0000${arg ?? '\u0001'}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push(arg === undefined ? { fn: node.name } : { fn: node.name, arg });
    }),
  );
  return found;
}

/** The static part of a member chain: outputs['my-task'].value → ['outputs', 'my-task', 'value']. */
function staticPath(node: Node): string[] | undefined {
  if (node.type === 'var') return [node.name];
  if (node.type !== 'member' || node.key.type !== 'literal') return undefined;
  const key = node.key.value;
  if (typeof key !== 'string' && typeof key !== 'number') return undefined;
  const base = staticPath(node.object);
  return base && [...base, String(key)];
}

export function findReferences(value: unknown): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const add = (path: string[]) => {
    const key = path.join('\u0000');
    if (!seen.has(key)) {
      seen.add(key);
      found.push(path);
    }
  };
  // Explicit stack: a member chain contributes one path; dynamic parts are visited on their own.
  forEachExpression(value, (root, locals) => {
    const stack: Node[] = [root];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.type === 'var' || node.type === 'member') {
        const path = staticPath(node);
        if (path) {
          // Loop variables and {% set %} names are the template's own, not the context's.
          if (!locals.has(path[0]) && path[0] !== BODY_VARIABLE) add(path);
          continue;
        }
      }
      if (node.type === 'member') stack.push(node.key, node.object);
      else if (node.type === 'call') for (let i = node.args.length - 1; i >= 0; i--) stack.push(node.args[i].value);
      else if (node.type === 'filter') {
        for (let i = node.args.length - 1; i >= 0; i--) stack.push(node.args[i].value);
        stack.push(node.input);
      } else if (node.type === 'list') for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
      else if (node.type === 'map') for (let i = node.entries.length - 1; i >= 0; i--) stack.push(node.entries[i].value, node.entries[i].key);
      else if (node.type === 'test') stack.push(node.input);
      else if (node.type === 'unary') stack.push(node.operand);
      else if (node.type === 'binary') stack.push(node.right, node.left);
      else if (node.type === 'ternary') stack.push(node.otherwise, node.then, node.cond);
    }
  });
  return found;
}

/**
 * Errors a template has before any data is seen. With `jqSubset`, literal jq programs are also
 * checked against Baton's subset: for expressions the workflow evaluates (flowable properties,
 * runIf), where the real jq of the worker is not available.
 */
export function checkSyntax(template: string, options: { jqSubset?: boolean } = {}): { message: string; offset: number }[] {
  if (!isTemplate(template)) return [];
  const errors = templateErrors(template).map((e) => ({ message: e.message, offset: e.offset ?? 0 }));
  return errors.length || !options.jqSubset ? errors : jqSubsetErrors(template);
}

/** Literal jq programs of a template that Baton's subset cannot run, with where they are. */
export function jqSubsetErrors(template: string): { message: string; offset: number }[] {
  const found: { message: string; offset: number }[] = [];
  forEachExpression(template, (root) =>
    walk(root, (node) => {
      if (node.type !== 'filter' || node.name !== 'jq') return;
      const program = node.args[0]?.value;
      if (program?.type !== 'literal' || typeof program.value !== 'string') return;
      try {
        compileJq(program.value);
      } catch (e) {
        if (!(e instanceof Failure)) throw e;
        found.push({ message: `${e.message} (this property is evaluated by the workflow with Baton's jq subset; runnable tasks run real jq)`, offset: program.start });
      }
    }),
  );
  return found;
}
