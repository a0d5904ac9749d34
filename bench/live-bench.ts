// B9 (issue 7): live execution pages. V viewers follow running executions over server-sent
// events (GET /executions/{id}/follow) against the real web app; the stack is the one `npm start`
// runs. Reported for 10 and 100 viewers, side by side in one run:
//   - database transactions per second during the run (pg_stat_database.xact_commit of the bench
//     database, worker writes included): with notification-driven shared reads it should not grow
//     with the number of viewers;
//   - event delay: time from a task run's state change (its history date, written by the engine)
//     to the moment a viewer receives it, p50 / p95 over all viewers.
// Writes bench/results/live.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { stack, startBenchStack } from './lib/bench-stack';

const here = path.dirname(fileURLToPath(import.meta.url));
const EXECUTIONS = 5;

function quantile(xs: number[], q: number) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

const FLOW = `id: followed
namespace: bench.live
tasks:
${Array.from(
  { length: 12 },
  (_, i) => `  - id: log${i}
    type: io.kestra.plugin.core.log.Log
    message: line ${i}
  - id: nap${i}
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.25S
`,
).join('')}`;

/** Follows one execution until `end`; records the delay of every task-run state it is told about. */
async function view(base: string, id: string, delays: number[]): Promise<void> {
  const res = await fetch(`${base}/api/v1/main/executions/${id}/follow`);
  if (!res.body) throw new Error('no stream');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event === 'end') {
        await reader.cancel();
        return;
      }
      if (event !== 'patch' || !data) continue;
      const now = Date.now();
      for (const run of JSON.parse(data).taskRuns as { state: { histories: { date: string }[] } }[]) {
        const last = run.state.histories[run.state.histories.length - 1];
        if (last) delays.push(now - Date.parse(last.date));
      }
    }
  }
}

async function commits(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

async function round(base: string, dbUrl: string, viewers: number) {
  const delays: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < EXECUTIONS; i++) {
    const res = await fetch(`${base}/api/v1/main/executions/bench.live/followed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    ids.push((await res.json()).id);
  }
  const before = await commits(dbUrl);
  const started = Date.now();
  await Promise.all(Array.from({ length: viewers }, (_, i) => view(base, ids[i % ids.length], delays)));
  const seconds = (Date.now() - started) / 1000;
  const perSecond = ((await commits(dbUrl)) - before) / seconds;
  return { viewers, seconds, dbTransactionsPerSecond: perSecond, delayP50: quantile(delays, 0.5), delayP95: quantile(delays, 0.95), events: delays.length };
}

async function main() {
  const bench = await startBenchStack('baton_bench_live');
  try {
    const deployed = await fetch(`${bench.webUrl}/api/v1/main/flows`, { method: 'POST', headers: { 'content-type': 'application/x-yaml' }, body: FLOW });
    if (deployed.status >= 300) throw new Error(await deployed.text());
    await round(bench.webUrl, bench.databaseUrl, 5); // warm-up
    const ten = await round(bench.webUrl, bench.databaseUrl, 10);
    const hundred = await round(bench.webUrl, bench.databaseUrl, 100);
    const ratio = hundred.dbTransactionsPerSecond / ten.dbTransactionsPerSecond;
    console.log('\nB9 live execution pages (5 executions of 24 tasks each, followed over SSE)');
    console.log('| viewers | DB transactions/s | event delay p50 / p95 | events received |');
    console.log('|---|---|---|---|');
    for (const r of [ten, hundred]) console.log(`| ${r.viewers} | ${r.dbTransactionsPerSecond.toFixed(1)} | ${r.delayP50} / ${r.delayP95} ms | ${r.events} |`);
    console.log(`DB load ratio 100 viewers / 10 viewers: ${ratio.toFixed(2)} (1.0 = independent of viewers)`);
    fs.mkdirSync(path.join(here, 'results'), { recursive: true });
    fs.writeFileSync(path.join(here, 'results', 'live.json'), JSON.stringify({ B9: { ten, hundred, dbLoadRatio: ratio, p95_ms: hundred.delayP95 } }, null, 2));
  } finally {
    await bench.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
