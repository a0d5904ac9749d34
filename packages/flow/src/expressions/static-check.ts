import type { Arg, Node } from './ast';
import { walk } from './ast';
import { fail } from './errors';
import { FILTERS, TESTS } from './filters';
import { didYouMean, listNames } from './suggest';
import { FORBIDDEN_KEYS } from './values';

/**
 * Checks that need no data, done once at parse time so that save-time validation (checkSyntax)
 * reports them: unknown filters and tests, wrong arguments, and literal property names that the
 * sandbox refuses. jq programs are not checked here: runnable tasks run real jq (the worker's),
 * and jqSubsetErrors checks the programs that Baton's subset will run (flowable properties).
 */
export function checkNode(root: Node): void {
  walk(root, (node) => {
    switch (node.type) {
      case 'filter':
        return checkFilter(node.name, node.nameStart, node.args);
      case 'test':
        if (!TESTS.has(node.name)) {
          const hint = didYouMean(node.name, TESTS.keys());
          fail('syntax', `unknown test '${node.name}'${hint ? `; ${hint}` : ''}; tests are: ${listNames([...TESTS.keys()])}`, node.end - node.name.length);
        }
        return;
      case 'member':
        if (node.key.type === 'literal' && typeof node.key.value === 'string' && FORBIDDEN_KEYS.has(node.key.value)) {
          fail('sandbox', forbiddenKeyMessage(node.key.value), node.key.start);
        }
        return;
      case 'map':
        for (const { key } of node.entries) {
          if (key.type === 'literal' && FORBIDDEN_KEYS.has(String(key.value))) fail('sandbox', forbiddenKeyMessage(String(key.value)), key.start);
        }
        return;
    }
  });
}

export function forbiddenKeyMessage(key: string): string {
  return `'${key}' cannot be accessed from expressions (it leads to code, not data)`;
}

function checkFilter(name: string, at: number, args: Arg[]): void {
  const def = FILTERS.get(name);
  if (!def) {
    const hint = didYouMean(name, FILTERS.keys());
    fail('syntax', `unknown filter '${name}'${hint ? `; ${hint}` : `; filters are: ${listNames([...FILTERS.keys()].sort(), 60)}`}`, at);
  }
  const positional = args.filter((a) => !a.name).length;
  if (positional > def.params.length) {
    fail('syntax', `filter '${name}' takes ${def.params.length ? `at most ${def.params.length} argument(s) (${def.params.join(', ')})` : 'no arguments'}, not ${positional}`, at);
  }
  const given = new Set(def.params.slice(0, positional));
  for (const arg of args) {
    if (!arg.name) continue;
    if (!def.params.includes(arg.name)) {
      fail('syntax', `filter '${name}' has no argument '${arg.name}'${def.params.length ? `; its arguments are: ${def.params.join(', ')}` : ''}`, arg.value.start);
    }
    if (given.has(arg.name)) fail('syntax', `argument '${arg.name}' of filter '${name}' is given twice`, arg.value.start);
    given.add(arg.name);
  }
  const missing = def.params.slice(0, def.required ?? 0).filter((p) => !given.has(p));
  if (missing.length) fail('syntax', `filter '${name}' needs ${missing.map((m) => `'${m}'`).join(' and ')}, e.g. ${example(name)}`, at);
}

function example(filter: string): string {
  const examples: Record<string, string> = {
    default: "x | default('fallback')",
    replace: "x | replace('old', 'new')",
    split: "x | split(',')",
    dateAdd: "x | dateAdd(1, 'DAYS')",
    jq: "x | jq('.items[0]')",
    startsWith: "x | startsWith('prefix')",
    endsWith: "x | endsWith('.yaml')",
    abbreviate: 'x | abbreviate(20)',
    merge: "x | merge({'key': 'value'})",
  };
  return Object.prototype.hasOwnProperty.call(examples, filter) ? examples[filter] : `x | ${filter}(…)`;
}
