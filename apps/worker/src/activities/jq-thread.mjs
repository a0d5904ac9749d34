// The real jq (jq-wasm: jq compiled to WebAssembly) in a thread of its own, so a program that runs
// away blocks this thread, never the worker's event loop; jq-runner.ts ends it past its time.
import { parentPort } from 'node:worker_threads';
import { raw } from 'jq-wasm';

parentPort.on('message', async ({ id, input, program }) => {
  try {
    parentPort.postMessage({ id, output: await raw(input, program, ['-c']) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
