import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { bundleWorkflowCode } from '@temporalio/worker';

const require = createRequire(import.meta.url);

/** The source folders whose code ends up in the workflow bundle. */
function sourceFiles(): string[] {
  // Each package's "." export is src/index.ts, so its folder is the source root.
  const roots = ['@baton/engine', '@baton/flow', '@baton/plugin-sdk'].map((p) => path.dirname(require.resolve(p)));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) files.push(full);
    }
  };
  for (const root of roots) walk(root);
  return files.sort();
}

/**
 * Bundles the workflow code ahead of time (webpack takes ~10 s) and caches the bundle under the
 * data directory, keyed by a hash of the sources, so restarts reuse it.
 */
export async function workflowBundle(cacheDir: string, log: (m: string) => void = () => {}): Promise<{ code: string }> {
  const hash = crypto.createHash('sha256');
  for (const file of sourceFiles()) hash.update(file).update(fs.readFileSync(file));
  const key = hash.digest('hex').slice(0, 16);
  const file = path.join(cacheDir, `workflow-bundle-${key}.js`);
  if (fs.existsSync(file)) return { code: fs.readFileSync(file, 'utf8') };
  const started = Date.now();
  log('bundling workflow code (once per code change)...');
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('@baton/engine/workflow'),
    logger: { info() {}, warn() {}, error: (m: string) => log(m), debug() {}, trace() {}, log() {} } as never,
  });
  fs.mkdirSync(cacheDir, { recursive: true });
  for (const old of fs.readdirSync(cacheDir).filter((f) => f.startsWith('workflow-bundle-'))) fs.rmSync(path.join(cacheDir, old), { force: true });
  fs.writeFileSync(file, bundle.code);
  log(`workflow bundle ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return bundle;
}
