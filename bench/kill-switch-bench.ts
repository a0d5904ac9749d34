// The kill switch (docs/kill-switch.md) against Temporal's own batch terminate, in one run on one
// Temporal dev server: N executions whose task is in the middle of an HTTP call to a server that
// never answers; Baton's arm sets one KILL switch on their namespace, the raw arm starts a batch
// terminate (the visibility query an operator would type) of N hand-written workflows doing the same
// call from a heartbeating activity. Measured for each: the time from the order until every
// execution is closed (Baton: KILLED in PostgreSQL, what users see; raw: not Running in Temporal)
// and every HTTP request was aborted (the server saw the connection close). Target: under 10 s and
// faster than the batch terminate. BENCH_KILL_N sets N (500 by default; a list such as 100,500 runs
// each size on the same stack, one after another; try 50 on a busy machine).
// Both workers run at most 200 activities at once (Baton's worker setting), so with N above 200 the
// rest wait scheduled, not yet calling. Writes bench/results/kill-switch.json.
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startBenchStack } from './lib/bench-stack';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_KILL_N ?? '500').split(',').map((n) => Number(n.trim()));
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_KILL_N must be a positive integer or a list of them (100,500), not ${process.env.BENCH_KILL_N}`);
const ROUNDS = Number(process.env.BENCH_KILL_ROUNDS ?? 1);
const RAW_QUEUE = 'bench-kill-raw';
const IN_FLIGHT_CAP = 200;

/** An HTTP server that never answers: counts requests held open and requests aborted by the client, by path prefix. */
async function holdingServer() {
  const open = new Map<string, number>();
  const aborted = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const server = http.createServer((req, res) => {
    const arm = (req.url ?? '/').split('/')[1] ?? '';
    bump(open, arm);
    res.on('close', () => {
      if (!res.writableEnded) bump(aborted, arm);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    opened: (arm: string) => open.get(arm) ?? 0,
    aborted: (arm: string) => aborted.get(arm) ?? 0,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 180_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function main() {
  const bench = await startBenchStack('baton_bench_kill_switch');
  // Ctrl-C (or a SIGTERM) still stops the stack: no Temporal server, worker or web app left behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the bench stack...`);
      void bench.stop().finally(() => process.exit(130));
    });
  }
  const server = await holdingServer();
  const connection = await Connection.connect({ address: bench.temporalAddress });
  const client = new Client({ connection });
  const rawConnection = await NativeConnection.connect({ address: bench.temporalAddress });
  const rawWorker = await Worker.create({
    connection: rawConnection,
    taskQueue: RAW_QUEUE,
    workflowsPath: path.join(here, 'raw-workflows.ts'),
    activities: {
      // What Baton's runTask does for an HTTP task, by hand: the call aborts when the activity is
      // cancelled, which it learns from its heartbeats (every 300 ms, flushed every 500 ms).
      async hold(url: string) {
        const ctx = Context.current();
        const beat = setInterval(() => ctx.heartbeat(), 300);
        try {
          await fetch(url, { signal: ctx.cancellationSignal });
        } finally {
          clearInterval(beat);
        }
      },
    },
    maxHeartbeatThrottleInterval: '500ms',
    defaultHeartbeatThrottleInterval: '500ms',
    maxConcurrentActivityTaskExecutions: IN_FLIGHT_CAP,
    maxCachedWorkflows: Math.max(500, ...SIZES),
  });
  const rawRun = rawWorker.run();
  const api = (p: string, init?: RequestInit) => fetch(`${bench.webUrl}/api/v1/main${p}`, init);
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const report: unknown[] = [];
  const failed: number[] = [];
  try {
    // A size that fails (on a machine too loaded for its executions to start) is reported with its
    // error; the next size still runs, and the bench exits non-zero at the end.
    for (const N of SIZES) {
      await size(N).catch((error: unknown) => {
        failed.push(N);
        console.error(`\nKill switch bench at N=${N} failed (load average ${load()}): ${(error as Error).message}`);
        report.push({ n: N, error: (error as Error).message, load: load() });
      });
    }
    fs.mkdirSync(path.join(here, 'results'), { recursive: true });
    fs.writeFileSync(path.join(here, 'results', 'kill-switch.json'), JSON.stringify({ cores: os.cpus().length, sizes: report }, null, 2));
    if (failed.length) process.exitCode = 1;
  } finally {
    rawWorker.shutdown();
    await rawRun.catch(() => {});
    await rawConnection.close();
    await connection.close();
    await server.close();
    await bench.stop();
  }

  async function size(N: number) {
    const inFlight = Math.min(N, IN_FLIGHT_CAP);
    const baton = async (round: number) => {
      const arm = `baton${N}-${round}`;
      const ns = `bench.ks${N}.r${round}`;
      const flow = `id: hold\nnamespace: ${ns}\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.http.Request\n    uri: "${server.url}/${arm}/{{ execution.id }}"\n    timeout: PT10M\n    options:\n      readTimeout: PT10M\n`;
      const deployed = await api('/flows', { method: 'POST', headers: { 'content-type': 'application/x-yaml' }, body: flow });
      if (deployed.status >= 300) throw new Error(await deployed.text());
      for (let i = 0; i < N; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, N - i) }, async () => {
            // A 503 (Temporal did not answer within the API's deadline on a loaded machine) says
            // nothing was started and to try again: the bench does, as a client should.
            for (let attempt = 1; ; attempt++) {
              const res = await api(`/executions/${ns}/hold`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
              if (res.status === 200) break;
              if (res.status !== 503 || attempt === 10) throw new Error(`start answered ${res.status}: ${await res.text()}`);
              await res.text();
              await new Promise((r) => setTimeout(r, 1000 * attempt));
            }
          }),
        );
      }
      await until(`${inFlight} Baton requests in flight`, async () => {
        if (server.opened(arm) >= inFlight) return true;
        // A task that cannot make its call fails its execution: say why instead of waiting.
        const failed = await (await api(`/executions/search?namespace=${ns}&state=FAILED&size=1`)).json();
        if (failed.total) throw new Error(`an execution failed instead of calling: ${failed.results[0].id} ${failed.results[0].error}`);
        return false;
      });
      const t0 = Date.now();
      const set = await api('/kill-switches', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scope: { namespace: ns }, mode: 'KILL', reason: 'bench' }),
      });
      if (set.status !== 201) throw new Error(`kill switch answered ${set.status}: ${await set.text()}`);
      const setMs = Date.now() - t0;
      const killed = async () => {
        const res = await (await api(`/executions/search?namespace=${ns}&state=KILLED&size=1`)).json();
        return res.total >= N;
      };
      await until('every Baton execution KILLED', killed, 180_000, 200);
      const killedMs = Date.now() - t0;
      await until('every Baton request aborted', () => server.aborted(arm) >= server.opened(arm));
      const switchId = ((await set.json()) as { id: string }).id;
      await api(`/kill-switches/${switchId}`, { method: 'DELETE' });
      return { setMs, killedMs, allMs: Math.max(killedMs, Date.now() - t0) };
    };

    const raw = async (round: number) => {
      const arm = `raw${N}-${round}`;
      await Promise.all(
        Array.from({ length: N }, (_, i) =>
          client.workflow.start('rawHold', { workflowId: `kill-bench-${N}-${round}-${i}-${Date.now()}`, taskQueue: RAW_QUEUE, args: [`${server.url}/${arm}/${i}`] }),
        ),
      );
      await until(`${inFlight} raw requests in flight`, () => server.opened(arm) >= inFlight);
      const query = `WorkflowType = 'rawHold' AND ExecutionStatus = 'Running'`;
      // The batch works from the visibility store: wait until it lists them all, as an operator would.
      await until('visibility lists every raw workflow', async () => (await client.workflow.count(query)).count >= N, 60_000, 200);
      const t0 = Date.now();
      const jobId = `kill-bench-${N}-${round}-${Date.now()}`;
      await connection.workflowService.startBatchOperation({ namespace: 'default', jobId, reason: 'bench', visibilityQuery: query, terminationOperation: { identity: 'bench' } });
      await until('every raw workflow closed', async () => (await client.workflow.count(query)).count === 0, 180_000, 200);
      const killedMs = Date.now() - t0;
      await until('every raw request aborted', () => server.aborted(arm) >= server.opened(arm));
      return { killedMs, allMs: Math.max(killedMs, Date.now() - t0) };
    };

    const results: { baton: Awaited<ReturnType<typeof baton>>; raw: Awaited<ReturnType<typeof raw>>; loadBefore: string }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const loadBefore = load();
      results.push({ baton: await baton(round), raw: await raw(round), loadBefore });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const batonP50 = median(results.map((r) => r.baton.allMs));
    const rawP50 = median(results.map((r) => r.raw.allMs));
    console.log(
      `\nKill switch: ${N} executions in the middle of an HTTP call (${inFlight} calls in flight), ${ROUNDS} round(s), one Temporal dev server, ${os.cpus().length} cores`,
    );
    console.log('| | load average (1, 5, 15 min) before | order answered | all closed | all closed and every request aborted |');
    console.log('|---|---|---|---|---|');
    for (const r of results) {
      console.log(`| Baton KILL switch | ${r.loadBefore} | ${r.baton.setMs} ms | ${(r.baton.killedMs / 1000).toFixed(1)} s | ${(r.baton.allMs / 1000).toFixed(1)} s |`);
      console.log(`| Temporal batch terminate | | — | ${(r.raw.killedMs / 1000).toFixed(1)} s | ${(r.raw.allMs / 1000).toFixed(1)} s |`);
    }
    console.log(
      `p50 ratio (kill switch / batch terminate): ${(batonP50 / rawP50).toFixed(2)}; target: kill switch under 10 s (${batonP50 < 10_000 ? 'met' : 'NOT met'}) and faster (${batonP50 < rawP50 ? 'met' : 'NOT met'}); load average now ${load()}`,
    );
    report.push({ n: N, inFlight, rounds: results, p50: { baton: batonP50, raw: rawP50, ratio: batonP50 / rawP50 } });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
