// `npm run bench`: Baton's engine against a hand-written Temporal workflow running the same no-op
// activities, on the same Temporal dev server, in one run. Arms alternate (ABAB) after a warm-up.
//   (a) start latency: API call (Baton) / client.workflow.start (raw) → first ActivityTaskStarted
//   (b) per-task overhead: 40 sequential no-op tasks, (last completion − first schedule) / 40
//   (c) sustained executions/s of a 2-task flow: open-loop steps, highest rate whose p95 < 1 s
//   B5  projection lag under (c)'s load: Temporal's close time → the PostgreSQL row's terminal
//       write (updated_at), and rows not terminal once Temporal says closed
//   B8  worker memory per open execution: RSS growth of a fresh worker process over 1,000 open
//       executions (one task, then a 30 min timer), Baton's worker against a hand-written one
//   (d) the payload codec's cost: the raw 40-task workflow with and without AES-256-GCM encryption
// Timestamps of (a) and (b) come from Temporal history events, not client clocks. Figures also go
// to bench/results/engine.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { EncryptionCodec, keyringFrom } from '@baton/engine';
import { stack, startBenchStack } from './lib/bench-stack';
// @ts-expect-error plain ESM helper shared with npm start
import { groupMembers } from '../scripts/lib/process-group.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const RAW_QUEUE = 'bench-raw';
const RAW_CODEC_QUEUE = 'bench-raw-codec';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 8);
const OPEN_EXECUTIONS = Number(process.env.BENCH_OPEN ?? 1000);
/** maxCachedWorkflows of the Baton worker (apps/worker/src/worker.ts), given to the raw one too. */
const WORKER_CACHE = 500;
/** Parts to leave out of a quick run, e.g. BENCH_SKIP=c,B8 (the sustained-rate steps and B5, worker memory). */
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const TERMINAL = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'];

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

/** Resident memory of a process group (tsx and the node process it runs), in KB. */
function groupRssKb(pgid: number): number {
  let kb = 0;
  for (const pid of groupMembers(pgid) as number[]) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    } catch {
      // exited meanwhile
    }
  }
  return kb;
}

/** The median of a few RSS samples a second apart, once the worker has settled. */
async function settledRssKb(pgid: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 3000));
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(groupRssKb(pgid));
    await new Promise((r) => setTimeout(r, 1000));
  }
  return median(samples);
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Waits until every workflow has started its timer: it is open and idle in the worker's cache. */
async function waitForTimers(client: Client, ids: string[]) {
  const pending = new Set(ids);
  for (let round = 0; pending.size && round < 600; round++) {
    await pool([...pending], 20, async (id) => {
      const history = await client.workflow.getHandle(id).fetchHistory();
      if (history.events?.some((e) => e.timerStartedEventAttributes)) pending.delete(id);
    });
    if (pending.size) await new Promise((r) => setTimeout(r, 500));
  }
  if (pending.size) throw new Error(`${pending.size} executions never reached their timer`);
}

/**
 * B8: RSS growth of a fresh worker process while OPEN_EXECUTIONS executions wait on a timer, for
 * Baton's worker (a flow: one task, then Sleep) and a hand-written one (one activity, then sleep).
 */
async function workerMemory(bench: Awaited<ReturnType<typeof startBenchStack>>, client: Client) {
  await bench.restartWorker();
  const rawQueue = 'bench-raw-b8';
  const rawWorker = stack.startProcess('raw-worker', path.join(stack.root, 'node_modules/.bin/tsx'), [path.join(here, 'raw-worker.ts')], {
    env: { TEMPORAL_ADDRESS: bench.temporalAddress, RAW_QUEUE: rawQueue, RAW_CACHED_WORKFLOWS: String(WORKER_CACHE) },
    quiet: true,
  });
  await stack.waitForOutput(rawWorker, /polling/, 'raw worker');
  const measure = async (pgid: number, start: () => Promise<string[]>) => {
    const before = await settledRssKb(pgid);
    const ids = await start();
    await waitForTimers(client, ids);
    const after = await settledRssKb(pgid);
    const growthKb = after - before;
    return { beforeMb: before / 1024, afterMb: after / 1024, growthMb: growthKb / 1024, perExecutionKb: growthKb / ids.length };
  };
  let startRetries = 0;
  const baton = await measure(bench.workerPid(), async () => {
    const ids: string[] = [];
    await pool(
      Array.from({ length: OPEN_EXECUTIONS }, (_, i) => i),
      10,
      async () => {
        // A busy machine can make Temporal answer late: the API then says 503 with Retry-After,
        // and a client that behaves tries again.
        for (let attempt = 1; ; attempt++) {
          const res = await fetch(`${bench.webUrl}/api/v1/main/executions/bench/open`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
          if (res.status === 200) return void ids.push(((await res.json()) as { id: string }).id);
          if (res.status !== 503 || attempt >= 10) throw new Error(`start answered ${res.status}: ${await res.text()}`);
          startRetries += 1;
          await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
        }
      },
    );
    return ids;
  });
  const raw = await measure(rawWorker.pid!, async () => {
    const ids: string[] = [];
    await pool(
      Array.from({ length: OPEN_EXECUTIONS }, (_, i) => i),
      10,
      async (i) => {
        const id = `raw-open-${i}-${Math.random().toString(36).slice(2)}`;
        await client.workflow.start('rawWait', { workflowId: id, taskQueue: rawQueue, args: [30] });
        ids.push(id);
      },
    );
    return ids;
  });
  await stack.stopProcess(rawWorker);
  return { baton: { ...baton, startRetries }, raw, ratio: baton.growthMb / raw.growthMb };
}

async function main() {
  const bench = await startBenchStack('baton_bench');
  console.log(`load average at start (1, 5, 15 min): ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

  const connection = await Connection.connect({ address: bench.temporalAddress });
  // Baton's payloads are encrypted: reading its workflows' results needs the codec. The raw arm
  // runs without one (Temporal as is); a second raw arm runs with it, for (d).
  const dataConverter = { payloadCodecs: [new EncryptionCodec(keyringFrom(bench.encryptionKey, undefined))] };
  const client = new Client({ connection, dataConverter });
  const rawClient = new Client({ connection });
  const rawConnection = await NativeConnection.connect({ address: bench.temporalAddress });
  const rawWorkerOf = (taskQueue: string, withCodec: boolean) =>
    Worker.create({
      connection: rawConnection,
      taskQueue,
      workflowsPath: path.join(here, 'raw-workflows.ts'),
      activities: { noop: async (i: number) => ({ i }) },
      maxCachedWorkflows: 500,
      ...(withCodec ? { dataConverter } : {}),
    });
  const rawWorker = await rawWorkerOf(RAW_QUEUE, false);
  const codecWorker = await rawWorkerOf(RAW_CODEC_QUEUE, true);
  const rawRun = Promise.all([rawWorker.run(), codecWorker.run()]);

  const flow = (id: string, n: number) =>
    `id: ${id}\nnamespace: bench\ntasks:\n${Array.from({ length: n }, (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.output.OutputValues\n    values:\n      i: ${i}\n`).join('')}`;
  for (const [id, n] of [
    ['one', 1],
    ['two', 2],
    ['forty', 40],
  ] as const) {
    const res = await fetch(`${bench.webUrl}/api/v1/main/flows`, { method: 'POST', headers: { 'content-type': 'application/x-yaml' }, body: flow(id, n) });
    if (res.status >= 300) throw new Error(`deploy ${id}: ${await res.text()}`);
  }
  const open = `${flow('open', 1)}  - id: wait\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT30M\n`;
  const deployedOpen = await fetch(`${bench.webUrl}/api/v1/main/flows`, { method: 'POST', headers: { 'content-type': 'application/x-yaml' }, body: open });
  if (deployedOpen.status >= 300) throw new Error(`deploy open: ${await deployedOpen.text()}`);

  const batonStart = async (flowId: string) => {
    const t0 = Date.now();
    const res = await fetch(`${bench.webUrl}/api/v1/main/executions/bench/${flowId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body = await res.json();
    if (res.status !== 200) throw new Error(JSON.stringify(body));
    return { id: body.id as string, t0 };
  };
  const rawStart = async (n: number, withCodec = false) => {
    const t0 = Date.now();
    const id = `raw-${Math.random().toString(36).slice(2)}`;
    await (withCodec ? client : rawClient).workflow.start('rawSequential', { workflowId: id, taskQueue: withCodec ? RAW_CODEC_QUEUE : RAW_QUEUE, args: [n] });
    return { id, t0 };
  };
  const events = async (id: string) => {
    await client.workflow.getHandle(id).result();
    const history = await client.workflow.getHandle(id).fetchHistory();
    const time = (e: any) => Number(e.eventTime.seconds) * 1000 + Math.round(e.eventTime.nanos / 1e6);
    const of = (type: string) => history.events!.filter((e: any) => e.eventType === type || e[`${type}EventAttributes`]).map(time);
    const input = history.events![0].workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    return {
      scheduled: of('activityTaskScheduled'),
      started: of('activityTaskStarted'),
      completed: of('activityTaskCompleted'),
      workflowStarted: of('workflowExecutionStarted')[0],
      taskScheduled: of('workflowTaskScheduled'),
      taskStarted: of('workflowTaskStarted'),
      taskCompleted: of('workflowTaskCompleted'),
      /** Local activities (Baton's projection) and SDK patch markers. */
      markers: of('markerRecorded').length,
      eventCount: history.events!.length,
      inputBytes: input.reduce((n, p) => n + (p.data?.length ?? 0), 0),
    };
  };
  /** SQL transactions committed in the bench database so far (every autocommit statement is one). */
  const { default: pg } = await import('pg');
  const db = new pg.Client({ connectionString: bench.databaseUrl });
  await db.connect();
  const commits = async () => {
    // Backends report their counters to the statistics system within a second or so.
    await new Promise((r) => setTimeout(r, 1500));
    await db.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await db.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0].n);
  };

  // warm-up
  for (let i = 0; i < 3; i++) {
    await events((await batonStart('forty')).id);
    await events((await rawStart(40)).id);
    await events((await rawStart(40, true)).id);
  }

  // (a) start → first task started, and (b) per-task overhead, alternating arms
  const startLatency = { baton: [] as number[], raw: [] as number[] };
  const perTask = { baton: [] as number[], raw: [] as number[] };
  const codecPerTask: number[] = [];
  const plainPerTask: number[] = [];
  // Where the per-task time goes: queue (scheduled→started), activity (started→completed),
  // workflow turnaround (completed→next scheduled).
  const phases = { baton: { queue: [] as number[], run: [] as number[], turn: [] as number[] }, raw: { queue: [] as number[], run: [] as number[], turn: [] as number[] } };
  const split = (arm: 'baton' | 'raw', e: Awaited<ReturnType<typeof events>>) => {
    for (let i = 0; i < e.started.length; i++) {
      phases[arm].queue.push(e.started[i] - e.scheduled[i]);
      phases[arm].run.push(e.completed[i] - e.started[i]);
      if (i + 1 < e.scheduled.length) phases[arm].turn.push(e.scheduled[i + 1] - e.completed[i]);
    }
  };
  for (let round = 0; round < ROUNDS; round++) {
    const b1 = await batonStart('one');
    startLatency.baton.push((await events(b1.id)).started[0] - b1.t0);
    const r1 = await rawStart(1);
    startLatency.raw.push((await events(r1.id)).started[0] - r1.t0);
    if (round % 3 === 0) {
      const b40 = await events((await batonStart('forty')).id);
      perTask.baton.push((b40.completed[b40.completed.length - 1] - b40.scheduled[0]) / 40);
      split('baton', b40);
      const r40 = await events((await rawStart(40)).id);
      perTask.raw.push((r40.completed[r40.completed.length - 1] - r40.scheduled[0]) / 40);
      split('raw', r40);
      // (d) the same raw workflow through the codec, right after the plain one (paired samples).
      plainPerTask.push(perTask.raw[perTask.raw.length - 1]);
      const c40 = await events((await rawStart(40, true)).id);
      codecPerTask.push((c40.completed[c40.completed.length - 1] - c40.scheduled[0]) / 40);
    }
  }

  // Where the start time goes (B1) and what each execution and task costs in round trips: counts
  // that do not depend on the machine's load. Phases from history; SQL from pg_stat_database.
  const breakdown = await startBreakdown();
  async function startBreakdown() {
    const arms = { baton: [] as Awaited<ReturnType<typeof events>>[], raw: [] as Awaited<ReturnType<typeof events>>[] };
    const t0s = { baton: [] as number[], raw: [] as number[] };
    const responded = { baton: [] as number[], raw: [] as number[] };
    const serverTiming: Record<string, number[]> = {};
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = Date.now();
      const res = await fetch(`${bench.webUrl}/api/v1/main/executions/bench/one`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      responded.baton.push(Date.now() - t0);
      // Server-Timing (BATON_SERVER_TIMING): the API's own steps.
      for (const part of (res.headers.get('server-timing') ?? '').split(',').filter(Boolean)) {
        const [name, ...params] = part.trim().split(';');
        const dur = params.map((p) => /^dur=([\d.]+)$/.exec(p.trim())).find(Boolean);
        if (dur) (serverTiming[name] ??= []).push(Number(dur[1]));
      }
      const id = ((await res.json()) as { id: string }).id;
      arms.baton.push(await events(id));
      t0s.baton.push(t0);
      const r = await rawStart(1);
      responded.raw.push(Date.now() - r.t0);
      arms.raw.push(await events(r.id));
      t0s.raw.push(r.t0);
    }
    const phase = (arm: 'baton' | 'raw', f: (e: Awaited<ReturnType<typeof events>>, t0: number) => number) => median(arms[arm].map((e, i) => f(e, t0s[arm][i])));
    const rows: [string, (e: Awaited<ReturnType<typeof events>>, t0: number) => number][] = [
      ['request → WorkflowExecutionStarted', (e, t0) => e.workflowStarted - t0],
      ['  → first WorkflowTaskStarted', (e) => e.taskStarted[0] - e.workflowStarted],
      ['  → first WorkflowTaskCompleted', (e) => e.taskCompleted[0] - e.taskStarted[0]],
      ['  → ActivityTaskScheduled', (e) => e.scheduled[0] - e.taskCompleted[0]],
      ['  → ActivityTaskStarted', (e) => e.started[0] - e.scheduled[0]],
      ['total: request → first task started', (e, t0) => e.started[0] - t0],
    ];
    const table = rows.map(([name, f]) => ({ step: name, baton: phase('baton', f), raw: phase('raw', f) }));
    table.push({ step: '(client: start call answered)', baton: median(responded.baton), raw: median(responded.raw) });
    const api = Object.entries(serverTiming).map(([name, xs]) => ({ step: name, ms: median(xs), count: xs.length / ROUNDS }));

    // Round trips per execution, load-independent: history events, workflow tasks, markers, SQL.
    const sql = async (start: () => Promise<string>, n: number) => {
      const idle0 = await commits();
      const idle1 = await commits(); // background statements (pollers) over one measuring pause
      const before = await commits();
      for (let i = 0; i < n; i++) await events(await start());
      const after = await commits();
      return (after - before - (idle1 - idle0)) / n;
    };
    const counts = async (arm: 'baton' | 'raw', tasks: 1 | 40) => {
      const start = async () => (arm === 'baton' ? (await batonStart(tasks === 1 ? 'one' : 'forty')).id : (await rawStart(tasks)).id);
      const e = await events(await start());
      return {
        events: e.eventCount,
        workflowTasks: e.taskCompleted.length,
        markers: e.markers,
        activities: e.completed.length,
        inputBytes: e.inputBytes,
        sqlTransactions: arm === 'baton' ? Number((await sql(start, 5)).toFixed(1)) : 0,
      };
    };
    const perExecution = { baton1: await counts('baton', 1), raw1: await counts('raw', 1), baton40: await counts('baton', 40), raw40: await counts('raw', 40) };
    return { table, api, perExecution };
  }

  // (c) sustained rate of a 2-task flow with p95 end-to-end < 1 s
  /** B5: for executions Temporal reports closed, when their row became terminal (updated_at). */
  async function projectionLag(ids: string[]) {
    const { rows } = await db.query<{ id: string; state: string; ms: string }>('SELECT id, state, extract(epoch from updated_at) * 1000 AS ms FROM executions WHERE id = ANY($1)', [
      ids,
    ]);
    const rowsById = new Map(rows.map((r) => [r.id, r]));
    const lags: number[] = [];
    let missing = 0;
    await Promise.all(
      ids.map(async (id) => {
        const closed = (await client.workflow.getHandle(id).describe()).closeTime;
        const row = rowsById.get(id);
        if (!row || !TERMINAL.includes(row.state) || !closed) return void (missing += 1);
        lags.push(Number(row.ms) - closed.getTime());
      }),
    );
    return { lags, missing };
  }
  const lagByRate = new Map<number, { lags: number[]; missing: number }>();

  async function step(rate: number, arm: 'baton' | 'raw') {
    const latencies: number[] = [];
    const ids: string[] = [];
    const waits: Promise<void>[] = [];
    const total = rate * STEP_SECONDS;
    const t0 = Date.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const delay = due - Date.now();
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      waits.push(
        (async () => {
          const s = Date.now();
          const { id } = arm === 'baton' ? await batonStart('two') : await rawStart(2);
          await client.workflow.getHandle(id).result();
          latencies.push(Date.now() - s);
          ids.push(id);
        })().catch(() => void latencies.push(Infinity)),
      );
    }
    await Promise.all(waits);
    if (arm === 'baton') lagByRate.set(rate, await projectionLag(ids));
    return { rate, p50: median(latencies), p95: quantile(latencies, 0.95) };
  }
  const rates = SKIP.has('c') ? [] : (process.env.BENCH_RATES ?? '5,10,20,30,40').split(',').map(Number);
  const sustained = { baton: 0, raw: 0 };
  const steps: string[] = [];
  for (const rate of rates) {
    for (const arm of ['baton', 'raw'] as const) {
      const r = await step(rate, arm);
      const lag = arm === 'baton' ? lagByRate.get(rate) : undefined;
      steps.push(
        `  ${arm.padEnd(5)} ${String(rate).padStart(3)}/s  p50 ${fmt(r.p50).padStart(7)} ms  p95 ${fmt(r.p95).padStart(7)} ms` +
          (lag ? `  projection lag p95 ${fmt(quantile(lag.lags, 0.95))} ms, missing ${lag.missing}` : ''),
      );
      if (r.p95 < 1000) sustained[arm] = Math.max(sustained[arm], rate);
    }
  }

  const line = (name: string, b: number[], r: number[]) =>
    `${name.padEnd(34)} baton p50 ${fmt(median(b)).padStart(6)} p95 ${fmt(quantile(b, 0.95)).padStart(6)} | raw p50 ${fmt(median(r)).padStart(6)} p95 ${fmt(quantile(r, 0.95)).padStart(6)} | ratio p50 ${(median(b) / median(r)).toFixed(2)}`;
  console.log(`\nload average now (1, 5, 15 min): ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(`\nBaton engine benchmark (Temporal dev server ${bench.temporalVersion.split('\n')[0]}, history.transferProcessorMaxPollRPS=1000, ${ROUNDS} rounds)`);
  console.log(line('(a) start → first task started (ms)', startLatency.baton, startLatency.raw));
  console.log(line('(b) per-task overhead, 40 tasks (ms)', perTask.baton, perTask.raw));
  for (const phase of ['queue', 'run', 'turn'] as const) {
    console.log(`    ${phase.padEnd(30)} baton p50 ${fmt(median(phases.baton[phase])).padStart(6)} | raw p50 ${fmt(median(phases.raw[phase])).padStart(6)}`);
  }
  console.log(
    `(c) 2-task executions/s with p95 < 1 s: baton ${sustained.baton}/s, raw ${sustained.raw}/s, ratio raw/baton ${(sustained.raw / Math.max(sustained.baton, 1)).toFixed(2)}`,
  );
  console.log(steps.join('\n'));
  console.log(
    `(d) payload codec (AES-256-GCM), raw 40-task workflow, per task (ms): with codec p50 ${fmt(median(codecPerTask))} | without p50 ${fmt(median(plainPerTask))} | ratio p50 ${(median(codecPerTask) / median(plainPerTask)).toFixed(2)}`,
  );

  // B5 at the B3 load: the steps at Baton's sustained rate (or the lowest rate if none held).
  const b5Rate = sustained.baton || rates[0];
  const b5 = lagByRate.get(b5Rate) ?? { lags: [], missing: 0 };
  const allLags = [...lagByRate.values()].flatMap((l) => l.lags);
  const allMissing = [...lagByRate.values()].reduce((n, l) => n + l.missing, 0);
  console.log(
    `B5 projection lag (row terminal − Temporal close; negative: the row was terminal first) at ${b5Rate}/s: ` +
      `p50 ${fmt(median(b5.lags))} ms, p95 ${fmt(quantile(b5.lags, 0.95))} ms, max ${fmt(Math.max(...b5.lags))} ms, missing ${b5.missing} of ${b5.lags.length + b5.missing}; ` +
      `every step: p95 ${fmt(quantile(allLags, 0.95))} ms, missing ${allMissing} of ${allLags.length + allMissing}`,
  );

  console.log('\nB1 breakdown, p50 ms (history event times; the client and the server share a clock):');
  console.log(`  ${'step'.padEnd(40)} ${'baton'.padStart(7)} ${'raw'.padStart(7)}`);
  for (const r of breakdown.table) console.log(`  ${r.step.padEnd(40)} ${fmt(r.baton).padStart(7)} ${fmt(r.raw).padStart(7)}`);
  if (breakdown.api.length) {
    console.log('  inside the API request (Server-Timing), p50 ms and times per request:');
    for (const r of breakdown.api) console.log(`    ${r.step.padEnd(38)} ${fmt(r.ms).padStart(7)}  ×${r.count.toFixed(1)}`);
  }
  console.log('Round trips per execution (independent of load): events, workflow tasks, markers (local activities), activities, input bytes, SQL transactions');
  for (const [name, c] of Object.entries(breakdown.perExecution)) {
    console.log(
      `  ${name.padEnd(8)} events ${c.events}, workflow tasks ${c.workflowTasks}, markers ${c.markers}, activities ${c.activities}, input ${c.inputBytes} B, SQL ${c.sqlTransactions}`,
    );
  }

  const b8 = SKIP.has('B8') ? undefined : await workerMemory(bench, client);
  if (b8) {
    console.log(
      `B8 worker RSS growth over ${OPEN_EXECUTIONS} open executions (fresh worker processes, ${WORKER_CACHE} cached workflows each): ` +
        `baton ${fmt(b8.baton.growthMb)} MB (${fmt(b8.baton.perExecutionKb)} KB each), raw ${fmt(b8.raw.growthMb)} MB (${fmt(b8.raw.perExecutionKb)} KB each), ratio ${b8.ratio.toFixed(2)}`,
    );
  }

  const ratio = (b: number, r: number) => Number((b / r).toFixed(2));
  const results = {
    B1: {
      baton: median(startLatency.baton),
      raw: median(startLatency.raw),
      ratio: ratio(median(startLatency.baton), median(startLatency.raw)),
      p95: { baton: quantile(startLatency.baton, 0.95), raw: quantile(startLatency.raw, 0.95) },
    },
    B2: { baton: median(perTask.baton), raw: median(perTask.raw), ratio: ratio(median(perTask.baton), median(perTask.raw)) },
    B3: { baton: sustained.baton, raw: sustained.raw, ratio: ratio(sustained.baton, Math.max(sustained.raw, 1)) },
    B5: {
      rate: b5Rate,
      p50_ms: median(b5.lags),
      p95_ms: quantile(b5.lags, 0.95),
      max_ms: Math.max(...b5.lags),
      missing: b5.missing,
      allSteps: { p95_ms: quantile(allLags, 0.95), missing: allMissing, executions: allLags.length + allMissing },
    },
    B8: b8 ? { openExecutions: OPEN_EXECUTIONS, cachedWorkflows: WORKER_CACHE, baton: b8.baton, raw: b8.raw, ratio: Number(b8.ratio.toFixed(2)) } : 'skipped',
    breakdown,
    loadAverage: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
  };
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  fs.writeFileSync(path.join(here, 'results', process.env.BENCH_RESULT ?? 'engine.json'), JSON.stringify(results, null, 2));
  await db.end();

  rawWorker.shutdown();
  codecWorker.shutdown();
  await rawRun;
  await connection.close();
  await bench.stop();
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error);
    await stack.stopAll();
    process.exit(1);
  },
);
