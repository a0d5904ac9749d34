// The hand-written baseline's worker in a process of its own, so that its memory can be measured
// the way the Baton worker's is (B8). Same workflow cache size as the Baton worker.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';

const here = path.dirname(fileURLToPath(import.meta.url));
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.RAW_QUEUE!,
  workflowsPath: path.join(here, 'raw-workflows.ts'),
  activities: { noop: async (i: number) => ({ i }) },
  maxCachedWorkflows: Number(process.env.RAW_CACHED_WORKFLOWS ?? 500),
});
console.log('polling');
await worker.run();
