// Issue 15's burst: 200 concurrent starts of a 2-task flow through Baton's API, against the same
// burst of raw `workflow.start` calls of a hand-written 2-activity workflow, on one Temporal dev
// server in one run. Reports the start-call latency p50/p95 and the time until every execution
// ended, for both. Writes bench/results/burst.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { stack, startBenchStack } from './lib/bench-stack';

const here = path.dirname(fileURLToPath(import.meta.url));
const BURST = Number(process.env.BENCH_BURST ?? 200);
const RAW_QUEUE = 'bench-burst-raw';

function quantile(xs: number[], q: number) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

async function main() {
  const bench = await startBenchStack('baton_bench_burst');
  const connection = await Connection.connect({ address: bench.temporalAddress });
  const client = new Client({ connection });
  const rawConnection = await NativeConnection.connect({ address: bench.temporalAddress });
  const rawWorker = await Worker.create({
    connection: rawConnection,
    taskQueue: RAW_QUEUE,
    workflowsPath: path.join(here, 'raw-workflows.ts'),
    activities: { noop: async (i: number) => ({ i }) },
    maxCachedWorkflows: 500,
  });
  const rawRun = rawWorker.run();
  try {
    const flow =
      'id: two\nnamespace: bench.burst\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.output.OutputValues\n    values: {i: 1}\n  - id: b\n    type: io.kestra.plugin.core.output.OutputValues\n    values: {i: 2}\n';
    const deployed = await fetch(`${bench.webUrl}/api/v1/main/flows`, { method: 'POST', headers: { 'content-type': 'application/x-yaml' }, body: flow });
    if (deployed.status >= 300) throw new Error(await deployed.text());

    const baton = async () => {
      const started = Date.now();
      const calls: number[] = [];
      const ids = await Promise.all(
        Array.from({ length: BURST }, async () => {
          const t0 = Date.now();
          const res = await fetch(`${bench.webUrl}/api/v1/main/executions/bench.burst/two`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
          calls.push(Date.now() - t0);
          if (res.status !== 200) throw new Error(`start answered ${res.status}: ${await res.text()}`);
          return (await res.json()).id as string;
        }),
      );
      // Every execution ended (the projection in PostgreSQL is what users see).
      const pending = new Set(ids);
      while (pending.size) {
        await Promise.all(
          [...pending].map(async (id) => {
            const body = await (await fetch(`${bench.webUrl}/api/v1/main/executions/${id}`)).json();
            if (body.state.current === 'SUCCESS') pending.delete(id);
            else if (['FAILED', 'KILLED', 'CANCELLED'].includes(body.state.current)) throw new Error(`${id} ended ${body.state.current}`);
          }),
        );
        if (pending.size) await new Promise((r) => setTimeout(r, 200));
      }
      return { p50: quantile(calls, 0.5), p95: quantile(calls, 0.95), allDoneMs: Date.now() - started };
    };
    const raw = async () => {
      const started = Date.now();
      const calls: number[] = [];
      const handles = await Promise.all(
        Array.from({ length: BURST }, async () => {
          const t0 = Date.now();
          const handle = await client.workflow.start('rawSequential', { workflowId: `burst-${Math.random().toString(36).slice(2)}`, taskQueue: RAW_QUEUE, args: [2] });
          calls.push(Date.now() - t0);
          return handle;
        }),
      );
      await Promise.all(handles.map((h) => h.result()));
      return { p50: quantile(calls, 0.5), p95: quantile(calls, 0.95), allDoneMs: Date.now() - started };
    };
    await raw(); // warm-up of both arms
    await baton();
    const rawResult = await raw();
    const batonResult = await baton();
    console.log(`\nBurst: ${BURST} concurrent starts of a 2-task flow (one run, same Temporal dev server)`);
    console.log('| | start call p50 / p95 | all ended after |');
    console.log('|---|---|---|');
    console.log(`| Baton (API) | ${batonResult.p50} / ${batonResult.p95} ms | ${(batonResult.allDoneMs / 1000).toFixed(1)} s |`);
    console.log(`| raw workflow.start | ${rawResult.p50} / ${rawResult.p95} ms | ${(rawResult.allDoneMs / 1000).toFixed(1)} s |`);
    console.log(`ratio (Baton / raw): start p50 ${(batonResult.p50 / rawResult.p50).toFixed(2)}, all ended ${(batonResult.allDoneMs / rawResult.allDoneMs).toFixed(2)}`);
    fs.mkdirSync(path.join(here, 'results'), { recursive: true });
    fs.writeFileSync(path.join(here, 'results', 'burst.json'), JSON.stringify({ burst: BURST, baton: batonResult, raw: rawResult }, null, 2));
  } finally {
    rawWorker.shutdown();
    await rawRun.catch(() => {});
    await rawConnection.close();
    await connection.close();
    await bench.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
