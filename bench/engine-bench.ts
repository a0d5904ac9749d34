// `npm run bench`: Baton's engine against a hand-written Temporal workflow running the same no-op
// activities, on the same Temporal dev server, in one run. Arms alternate (ABAB) after a warm-up.
//   (a) start latency: API call (Baton) / client.workflow.start (raw) → first ActivityTaskStarted
//   (b) per-task overhead: 40 sequential no-op tasks, (last completion − first schedule) / 40
//   (c) sustained executions/s of a 2-task flow: open-loop steps, highest rate whose p95 < 1 s
//   (d) the payload codec's cost: the raw 40-task workflow with and without AES-256-GCM encryption
// Timestamps of (a) and (b) come from Temporal history events, not client clocks.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { EncryptionCodec, keyringFrom } from '@baton/engine';
import { stack, startBenchStack } from './lib/bench-stack';

const here = path.dirname(fileURLToPath(import.meta.url));
const RAW_QUEUE = 'bench-raw';
const RAW_CODEC_QUEUE = 'bench-raw-codec';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 8);

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

async function main() {
  const bench = await startBenchStack('baton_bench');

  const connection = await Connection.connect({ address: bench.temporalAddress });
  // Baton's payloads are encrypted: reading its workflows' results needs the codec. The raw arm
  // runs without one (Temporal as is); a second raw arm runs with it, for (d).
  const dataConverter = { payloadCodecs: [new EncryptionCodec(keyringFrom(bench.encryptionKey, undefined))] };
  const client = new Client({ connection, dataConverter });
  const rawClient = new Client({ connection });
  const rawConnection = await NativeConnection.connect({ address: bench.temporalAddress });
  const rawWorkerOf = (taskQueue: string, withCodec: boolean) => Worker.create({
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
  for (const [id, n] of [['one', 1], ['two', 2], ['forty', 40]] as const) {
    const res = await fetch(`${bench.webUrl}/api/v1/main/flows`, { method: 'POST', headers: { 'content-type': 'application/x-yaml' }, body: flow(id, n) });
    if (res.status >= 300) throw new Error(`deploy ${id}: ${await res.text()}`);
  }

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
    return {
      scheduled: of('activityTaskScheduled'),
      started: of('activityTaskStarted'),
      completed: of('activityTaskCompleted'),
    };
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

  // (c) sustained rate of a 2-task flow with p95 end-to-end < 1 s
  async function step(rate: number, arm: 'baton' | 'raw') {
    const latencies: number[] = [];
    const waits: Promise<void>[] = [];
    const total = rate * STEP_SECONDS;
    const t0 = Date.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const delay = due - Date.now();
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      waits.push((async () => {
        const s = Date.now();
        const { id } = arm === 'baton' ? await batonStart('two') : await rawStart(2);
        await client.workflow.getHandle(id).result();
        latencies.push(Date.now() - s);
      })().catch(() => void latencies.push(Infinity)));
    }
    await Promise.all(waits);
    return { rate, p50: median(latencies), p95: quantile(latencies, 0.95) };
  }
  const rates = (process.env.BENCH_RATES ?? '5,10,20,30,40').split(',').map(Number);
  const sustained = { baton: 0, raw: 0 };
  const steps: string[] = [];
  for (const rate of rates) {
    for (const arm of ['baton', 'raw'] as const) {
      const r = await step(rate, arm);
      steps.push(`  ${arm.padEnd(5)} ${String(rate).padStart(3)}/s  p50 ${fmt(r.p50).padStart(7)} ms  p95 ${fmt(r.p95).padStart(7)} ms`);
      if (r.p95 < 1000) sustained[arm] = Math.max(sustained[arm], rate);
    }
  }

  const line = (name: string, b: number[], r: number[]) =>
    `${name.padEnd(34)} baton p50 ${fmt(median(b)).padStart(6)} p95 ${fmt(quantile(b, 0.95)).padStart(6)} | raw p50 ${fmt(median(r)).padStart(6)} p95 ${fmt(quantile(r, 0.95)).padStart(6)} | ratio p50 ${(median(b) / median(r)).toFixed(2)}`;
  console.log(`\nBaton engine benchmark (Temporal dev server ${bench.temporalVersion.split('\n')[0]}, history.transferProcessorMaxPollRPS=1000, ${ROUNDS} rounds)`);
  console.log(line('(a) start → first task started (ms)', startLatency.baton, startLatency.raw));
  console.log(line('(b) per-task overhead, 40 tasks (ms)', perTask.baton, perTask.raw));
  for (const phase of ['queue', 'run', 'turn'] as const) {
    console.log(`    ${phase.padEnd(30)} baton p50 ${fmt(median(phases.baton[phase])).padStart(6)} | raw p50 ${fmt(median(phases.raw[phase])).padStart(6)}`);
  }
  console.log(`(c) 2-task executions/s with p95 < 1 s: baton ${sustained.baton}/s, raw ${sustained.raw}/s, ratio raw/baton ${(sustained.raw / Math.max(sustained.baton, 1)).toFixed(2)}`);
  console.log(steps.join('\n'));
  console.log(`(d) payload codec (AES-256-GCM), raw 40-task workflow, per task (ms): with codec p50 ${fmt(median(codecPerTask))} | without p50 ${fmt(median(plainPerTask))} | ratio p50 ${(median(codecPerTask) / median(plainPerTask)).toFixed(2)}`);

  rawWorker.shutdown();
  codecWorker.shutdown();
  await rawRun;
  await connection.close();
  await bench.stop();
}

main().then(() => process.exit(0), async (error) => {
  console.error(error);
  await stack.stopAll();
  process.exit(1);
});
