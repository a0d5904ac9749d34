// `npm run bench`: the engine benchmark (bench/engine-bench.ts), after the usual set-up.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureDependencies, ensurePrismaClient, root } from './lib/stack.mjs';

ensureDependencies();
await ensurePrismaClient();
const result = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'bench/engine-bench.ts')], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
