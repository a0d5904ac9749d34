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
  return process.env.BATON_SHARED_DIR ? path.resolve(process.env.BATON_SHARED_DIR) : path.resolve(findRepoRoot(), '../shared');
}

export const SPEC_FILES = {
  argocd: 'specs/argocd/argocd-v3.5.1-swagger.json',
  cloudflare: 'specs/cloudflare/cloudflare-api-v4-subset.json',
  netbox: 'specs/netbox/netbox-4.2.2-openapi-subset.json',
  maasOperations: 'specs/maas/maas-3.7.3-machines-operations.json',
  maasNodeStatus: 'specs/maas/maas-3.7.3-node-status.json',
  maasExamples: 'specs/maas/maas-3.7.3-api-examples-machines.json',
  nutanixInventory: 'specs/nutanix/nutanix-v4-inventory.json',
} as const;

export function specPath(name: keyof typeof SPEC_FILES): string {
  return path.join(sharedDir(), SPEC_FILES[name]);
}

/**
 * The vendors' API specifications are third-party material kept outside the repository (in the
 * shared folder beside it). The simulators run without them; only the conformance checks need
 * them. Returns undefined when every spec file is there, otherwise one line that says what is
 * missing and how to provide it, for tests to report when they skip.
 */
export function missingSpecs(): string | undefined {
  const missing = (Object.keys(SPEC_FILES) as (keyof typeof SPEC_FILES)[]).filter((name) => !existsSync(specPath(name)));
  if (!missing.length) return undefined;
  return `API specifications not found (${missing.map((name) => specPath(name)).join(', ')}): put the shared folder beside the repository or set BATON_SHARED_DIR to it`;
}
