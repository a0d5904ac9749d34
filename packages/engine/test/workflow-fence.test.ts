// Workflow code must be deterministic: no Node built-ins, no I/O libraries, nothing that reads
// the clock or the network behind Temporal's back. This walks every module the workflow entry
// point reaches inside the monorepo and checks what each one imports.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');
const entry = path.join(repo, 'packages/engine/src/workflow/index.ts');
const ALLOWED_PACKAGES = ['@temporalio/workflow', '@temporalio/common'];

function resolveLocal(from: string, specifier: string): string | undefined {
  let base: string | undefined;
  if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
  else if (specifier.startsWith('@baton/')) {
    const [, pkg, ...rest] = specifier.split('/');
    const dir = ['flow', 'engine', 'plugin-sdk', 'db'].includes(pkg) ? `packages/${pkg}` : `packages/plugins/${pkg.replace('plugin-', '')}`;
    base = path.join(repo, dir, 'src', rest.length ? rest.join('/') : 'index');
  }
  if (!base) return undefined;
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

function reachable(): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const source = fs.readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/^(?:import|export)\s(?:type\s)?[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)]
      .filter((m) => !/^(?:import|export)\s+type\s/.test(m[0]))
      .map((m) => m[1] ?? m[2]);
    seen.set(file, specifiers);
    for (const s of specifiers) {
      const local = resolveLocal(file, s);
      if (local) stack.push(local);
    }
  }
  return seen;
}

describe('workflow code fence', () => {
  it('reaches only pure modules and the Temporal workflow SDK', () => {
    const modules = reachable();
    expect(modules.size).toBeGreaterThan(5);
    const offenders: string[] = [];
    for (const [file, specifiers] of modules) {
      for (const s of specifiers) {
        if (s.startsWith('.') || s.startsWith('@baton/')) {
          if (/^@baton\/(db|engine$|plugin-sdk$)/.test(s)) offenders.push(`${path.relative(repo, file)} imports ${s} (has I/O)`);
          continue;
        }
        if (!ALLOWED_PACKAGES.includes(s)) offenders.push(`${path.relative(repo, file)} imports ${s}`);
      }
      if (/\bprocess\.env\b|\bfetch\(|\bsetTimeout\(|\brequire\(/.test(fs.readFileSync(file, 'utf8'))) {
        offenders.push(`${path.relative(repo, file)} uses process.env, fetch, setTimeout or require`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
