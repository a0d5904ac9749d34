import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the shared specs live. The repo and the shared folder sit side by side (locally and in CI),
 * so the spec files are found relative to the repo root rather than the working directory, which
 * differs between `npm run simulators`, vitest and an editor.
 */
export function findRepoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'turbo.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no turbo.json above ${from}: cannot locate the Baton repo root`);
    dir = parent;
  }
}

export function sharedDir(): string {
  return process.env.BATON_SHARED_DIR
    ? path.resolve(process.env.BATON_SHARED_DIR)
    : path.resolve(findRepoRoot(), '../shared');
}

export const SPEC_FILES = {
  argocd: 'specs/argocd/argocd-v3.5.1-swagger.json',
  cloudflare: 'specs/cloudflare/cloudflare-api-v4-subset.json',
} as const;

export function specPath(name: keyof typeof SPEC_FILES): string {
  return path.join(sharedDir(), SPEC_FILES[name]);
}
