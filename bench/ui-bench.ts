// `npm run bench:ui`: the two web UI benchmarks, in headless Chromium against a real stack.
//
//   1. Execution graph, 500 tasks: time from navigation to the graph painted (performance mark
//      `baton:graph-visible`), our pipeline (layout in a Web Worker, structural layout past the
//      size threshold) against plain dagre on the main thread, same page, same run. Also the
//      layout algorithms alone, in Node, on the same graph.
//   2. Flow editor, 2,000-line flow: time from an edit to its validation markers, and the longest
//      main-thread task while typing.
//   3. (context) the executions list API with 100,000 executions: first page and a deep page.
//
// Prints medians and p95 and the dagre/ours ratio. Not part of `npm test`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../scripts/lib/stack.mjs';
import { analyzeFlow } from '../apps/web/src/modules/graph/lib/analyze';
import { longFlow, wideFlow } from './ui-flows.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 7);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (x: number) => `${Math.round(x)} ms`;

async function database() {
  const server = process.env.BATON_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (server) return stack.createScratchDatabase(server, 'baton_uibench');
  if (await stack.portOpen(5432)) return stack.createScratchDatabase('postgresql://postgres@127.0.0.1:5432/postgres', 'baton_uibench');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-uibench-pg-'));
  const embedded = await stack.startEmbeddedPostgres(dir, await stack.freePort());
  return {
    url: embedded.url,
    drop: async () => {
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `next build`, waiting out a concurrent build of the same app (several stacks share apps/web/.next). */
async function buildWeb() {
  for (let attempt = 0; ; attempt++) {
    try {
      stack.buildWebIfStale();
      return;
    } catch (error) {
      if (attempt > 12 || !/Another next build process is already running/.test((error as Error).message)) throw error;
      console.log('another next build is running; waiting for it...');
      await new Promise((r) => setTimeout(r, 15_000));
    }
  }
}

async function startStack() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); no browser is downloaded`);
  await stack.ensurePrismaClient();
  await buildWeb(); // first: nothing to clean up if it fails
  const db = await database();
  try {
    return await startServices(db);
  } catch (error) {
    await stack.stopAll();
    await db.drop();
    throw error;
  }
}

async function startServices(db: { url: string; drop: () => Promise<void> }) {
  stack.runMigrations(db.url);
  const temporal = await stack.startTemporalDevServer({ dataDir: stack.dataDirFrom(), port: await stack.freePort() });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-uibench-'));
  fs.mkdirSync(path.join(stack.dataDirFrom(), 'cache'), { recursive: true });
  fs.symlinkSync(path.join(stack.dataDirFrom(), 'cache'), path.join(dataDir, 'cache'));
  const env = { DATABASE_URL: db.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default', BATON_DATA_DIR: dataDir };
  const worker = stack.startWorker({ env, quiet: true });
  await buildWeb(); // in case the sources changed meanwhile
  await stack.waitForOutput(worker, /polling/, 'worker');
  // Benchmarks measure the UI, not sign-in: the web app runs without it, on 127.0.0.1 only.
  const web = await stack.startWeb({ port: await stack.freePort(), env: { ...env, BATON_AUTH: 'none' }, quiet: true });
  return {
    url: web.url as string,
    dbUrl: db.url as string,
    stop: async () => {
      await stack.stopAll();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function call(base: string, method: string, p: string, body?: string, type = 'application/json') {
  const res = await fetch(`${base}${p}`, { method, headers: body ? { 'content-type': type } : {}, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

async function graphPaint(page: Page, url: string) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('[data-graph-ready]', { timeout: 120_000 });
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  return page.evaluate(`(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    return {
      visible: at('baton:graph-visible'),
      executionReceived: at('baton:execution-received'),
      layoutDone: at('baton:layout-done'),
      stats: window.__batonGraphStats,
      domNodes: document.querySelectorAll('.react-flow__node').length,
    };
  })()`) as Promise<{ visible: number; executionReceived: number; layoutDone: number; stats?: { layout: string; layoutMs: number; nodes: number }; domNodes: number }>;
}

async function graphBench(browser: Browser, base: string, executionId: string, source: string) {
  console.log('\n== Execution graph, 500 tasks ==');
  // The layout algorithms alone, same graph, in this process.
  const structural: number[] = [];
  const dagreTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    structural.push(analyzeFlow({ source, validate: false, layout: 'structural' }, undefined).graph.layoutMs);
    dagreTimes.push(analyzeFlow({ source, validate: false, layout: 'dagre' }, undefined).graph.layoutMs);
  }
  const built = analyzeFlow({ source, validate: false, layout: 'structural' }, undefined).graph;
  console.log(
    `graph: ${built.nodes.filter((n) => n.kind === 'task').length} tasks, ${built.nodes.length} drawn nodes (tasks, groups, lanes, junctions), ${built.edges.length} edges`,
  );
  console.log(
    `layout only (Node): structural ${ms(median(structural))}, dagre ${ms(median(dagreTimes))} → dagre/structural ${(median(dagreTimes) / Math.max(0.01, median(structural))).toFixed(0)}×`,
  );

  const arms: Record<string, { url: string; visible: number[]; detail: unknown[] }> = {
    ours: { url: `${base}/main/executions/${executionId}`, visible: [], detail: [] },
    'plain dagre': { url: `${base}/main/executions/${executionId}?layout=dagre-main`, visible: [], detail: [] },
  };
  // Warm-up (first load compiles and caches the JavaScript), then interleaved runs.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const cold = await graphPaint(page, arms.ours.url);
  await graphPaint(page, arms['plain dagre'].url);
  for (let i = 0; i < RUNS; i++) {
    for (const arm of Object.values(arms)) {
      const r = await graphPaint(page, arm.url);
      arm.visible.push(r.visible);
      arm.detail.push(r);
    }
  }
  await context.close();
  const ours = arms.ours;
  const base0 = arms['plain dagre'];
  const d = ours.detail[ours.detail.length - 1] as Awaited<ReturnType<typeof graphPaint>>;
  console.log(`first visit (cold JS cache): graph visible at ${ms(cold.visible)}`);
  console.log(`ours (worker, ${d.stats?.layout}): median ${ms(median(ours.visible))}, p95 ${ms(p95(ours.visible))} from navigation to graph painted`);
  console.log(
    `   breakdown of the last run: execution streamed at ${ms(d.executionReceived)}, layout done at ${ms(d.layoutDone)} (layout ${d.stats?.layoutMs?.toFixed(1)} ms in the worker), painted at ${ms(d.visible)}; ${d.domNodes} DOM nodes mounted of ${d.stats?.nodes}`,
  );
  console.log(`plain dagre (main thread): median ${ms(median(base0.visible))}, p95 ${ms(p95(base0.visible))}`);
  console.log(`ratio plain dagre / ours: ${(median(base0.visible) / median(ours.visible)).toFixed(1)}× (target: ours < 1000 ms)`);
  if (errors.length) console.log(`console errors: ${errors.slice(0, 5).join(' | ')}`);
}

async function editorBench(browser: Browser, base: string) {
  console.log('\n== Flow editor, 2,000-line flow ==');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/main/flows/bench.ui/editor-2000`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as { __batonEditor?: unknown }).__batonEditor, undefined, { timeout: 60_000 });
  const lines = await page.evaluate(() => (window as unknown as { __batonEditor: { getModel(): { getLineCount(): number } } }).__batonEditor.getModel().getLineCount());
  await page.waitForTimeout(1500); // first analysis and server check done
  // Long main-thread tasks while typing.
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  const latencies: number[] = [];
  // Edit near the middle: rename a property to an unknown one and back, waiting for the marker
  // to appear and to go away each time.
  const target = Math.floor(lines / 2);
  for (let i = 0; i < 12; i++) {
    const broken = i % 2 === 0;
    // Select the property name on a `level: INFO` line near the middle and retype it, keystroke
    // by keystroke: `levle` (unknown property → a marker) or `level` (the marker goes away).
    await page.evaluate((line) => {
      const w = window as unknown as { __batonEditor: any };
      const ed = w.__batonEditor;
      const model = ed.getModel();
      let l = line;
      while (!/^\s+(level|levle): INFO$/.test(model.getLineContent(l))) l++;
      const start = model.getLineContent(l).search(/le(vel|vle)/) + 1;
      ed.setSelection({ startLineNumber: l, startColumn: start, endLineNumber: l, endColumn: start + 5 });
      ed.focus();
    }, target);
    const before = await page.evaluate(() => (window as unknown as { __batonEditorStats?: { markerLatencies: number[] } }).__batonEditorStats?.markerLatencies.length ?? 0);
    await page.keyboard.type(broken ? 'levle' : 'level', { delay: 30 });
    await page.waitForFunction((n) => ((window as unknown as { __batonEditorStats?: { markerLatencies: number[] } }).__batonEditorStats?.markerLatencies.length ?? 0) > n, before, {
      timeout: 10_000,
    });
    const markers = await page.evaluate(() => document.querySelectorAll('.monaco-editor .squiggly-error').length);
    if (broken && markers === 0) await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 2_000 }).catch(() => {});
    latencies.push(
      await page.evaluate(() => {
        const s = (window as unknown as { __batonEditorStats: { markerLatencies: number[] } }).__batonEditorStats.markerLatencies;
        return s[s.length - 1];
      }),
    );
    await page.waitForTimeout(200);
  }
  const markerText = await page.evaluate(() => document.querySelector('[data-testid=problems]')?.textContent ?? '');
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  const analysis = await page.evaluate(() => (window as unknown as { __batonEditorStats: { analysisMs: number[] } }).__batonEditorStats.analysisMs);
  await context.close();
  console.log(`flow: ${lines} lines`);
  console.log(`edit → markers: median ${ms(median(latencies))}, p95 ${ms(p95(latencies))}, max ${ms(Math.max(...latencies))} (target ≤ 300 ms; includes the 90 ms debounce)`);
  console.log(`analysis in the worker (parse + schema validation + graph + layout): median ${ms(median(analysis.slice(1)))}`);
  console.log(`main thread while typing: ${longTasks.length} long tasks (> 50 ms), longest ${longTasks.length ? ms(Math.max(...longTasks)) : '—'}`);
  console.log(`problems panel after the last edit: ${markerText.slice(0, 80)}`);
  if (errors.length) console.log(`page errors: ${errors.slice(0, 5).join(' | ')}`);
}

async function listBench(base: string, dbUrl: string) {
  console.log('\n== Executions list API, 100,000 executions ==');
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const t = Date.now();
  await client.query(`
    INSERT INTO executions (id, tenant, namespace, flow_id, flow_revision, state, histories, inputs, outputs, labels, created_at, started_at, ended_at, updated_at)
    SELECT 'bench' || lpad(g::text, 7, '0'), 'main', 'bench.list.ns' || (g % 20), 'flow' || (g % 50), 1,
           (ARRAY['SUCCESS','SUCCESS','SUCCESS','FAILED','RUNNING','KILLED','WARNING'])[1 + g % 7],
           '[]', '{}', '{}', jsonb_build_object('team', 'team' || (g % 10)),
           now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval + interval '3 seconds', now()
    FROM generate_series(1, 100000) g`);
  await client.query('ANALYZE executions');
  await client.end();
  console.log(`seeded 100,000 executions in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const time = async (p: string) => {
    const xs: number[] = [];
    let body: any;
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      body = await call(base, 'GET', p);
      xs.push(performance.now() - t0);
    }
    return { xs, body };
  };
  const first = await time('/api/v1/main/executions/list?size=50');
  console.log(`first page of 50: median ${ms(median(first.xs))}, p95 ${ms(p95(first.xs))} (total shown as ${first.body.total}${first.body.totalCapped ? '+' : ''})`);
  // Walk 40 pages deep by cursor, then time that page.
  let cursor = first.body.next as string;
  for (let i = 0; i < 40; i++) cursor = (await call(base, 'GET', `/api/v1/main/executions/list?size=50&count=false&cursor=${cursor}`)).next;
  const deep = await time(`/api/v1/main/executions/list?size=50&cursor=${cursor}`);
  console.log(`page 42 by cursor: median ${ms(median(deep.xs))}, p95 ${ms(p95(deep.xs))}`);
  const filtered = await time('/api/v1/main/executions/list?size=50&state=FAILED&namespace=bench.list.ns3&labels=team:team3');
  console.log(`filtered (state, namespace, label): median ${ms(median(filtered.xs))}, p95 ${ms(p95(filtered.xs))}`);
}

async function main() {
  const started = Date.now();
  const s = await startStack();
  console.log(`stack ready in ${((Date.now() - started) / 1000).toFixed(0)} s at ${s.url}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const wide = wideFlow();
    await call(s.url, 'POST', '/api/v1/main/flows', wide, 'application/x-yaml');
    await call(s.url, 'POST', '/api/v1/main/flows', longFlow(), 'application/x-yaml');
    const t = Date.now();
    const execution = await call(s.url, 'POST', '/api/v1/main/executions/bench.ui/graph-500?wait=true', '{}');
    console.log(`ran the 500-task flow: ${execution.state.current}, ${execution.taskRunList.length} task runs in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await graphBench(browser, s.url, execution.id, wide);
    await editorBench(browser, s.url);
    await listBench(s.url, s.dbUrl);
  } finally {
    await browser.close();
    await s.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    void stack.stopAll().finally(() => process.exit(1));
  },
);
