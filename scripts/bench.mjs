// `npm run bench`: the engine benchmark (bench/engine-bench.ts) and the live-page benchmark
// (bench/live-bench.ts, B9), after the usual set-up. Figures also go to bench/results/*.json.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureDependencies, ensurePrismaClient, root } from './lib/stack.mjs';

ensureDependencies();
await ensurePrismaClient();
// Each benchmark starts its own stack, so one failing does not hide the other's figures.
let status = 0;
for (const file of ['bench/engine-bench.ts', 'bench/live-bench.ts', 'bench/burst-bench.ts', 'bench/kill-switch-bench.ts']) {
  const result = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, file)], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
