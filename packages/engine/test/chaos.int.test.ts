// Chaos (issue 15): a whole `npm start` stack of its own (embedded PostgreSQL, the Temporal dev
// server on a database file, the worker, the web app, all supervised by scripts/start.mjs) runs 100
// executions of a flow with short sleeps and HTTP tasks, while the worker, the web app, the
// Temporal dev server and PostgreSQL are killed with SIGKILL in turn. Nobody restarts anything by
// hand: npm start's supervisor must. Every execution must end SUCCESS, none lost, duplicated or
// stuck. The figures (time to recover per kill, HTTP calls retried) are printed, never asserted.
//
// Its own stack because the shared test stack is unsupervised and keeps Temporal in memory: a
// kill there would lose every other test's workflows.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '@baton/testing';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';
// @ts-expect-error plain ESM helper shared with npm start
import { RunState } from '../../../scripts/lib/run-state.mjs';

const CHAOS_ADMIN = { email: 'chaos@baton.test', password: 'chaos-admin-password' };
const CHAOS_AUTH = `Basic ${Buffer.from(`${CHAOS_ADMIN.email}:${CHAOS_ADMIN.password}`).toString('base64')}`;

/** The services killed, in this order; one wave of executions is started before each kill. */
const VICTIMS = ['worker', 'web', 'temporal', 'postgres'] as const;
const PER_WAVE = 25;
const TOTAL = VICTIMS.length * PER_WAVE;
const TERMINAL = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A running `node scripts/start.mjs` on a data directory and ports of its own. */
class StartedStack {
  readonly lines: { at: number; text: string }[] = [];
  private readonly logFile: fs.WriteStream;

  constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
    readonly webUrl: string,
    readonly temporalAddress: string,
    logPath: string,
  ) {
    this.logFile = fs.createWriteStream(logPath);
    let partial = '';
    const onData = (chunk: Buffer) => {
      this.logFile.write(chunk);
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) this.lines.push({ at: Date.now(), text });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  }

  /** Resolves with the first output line matching `pattern` printed at or after `since`. */
  async line(pattern: RegExp, what: string, { since = 0, timeoutMs = 240_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.lines.find((l) => l.at >= since && pattern.test(l.text));
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`npm start exited (${this.child.exitCode ?? this.child.signalCode}) while waiting for ${what}:\n${this.tail()}`);
      }
      await sleep(100);
    }
    throw new Error(`no ${what} within ${timeoutMs / 1000} s:\n${this.tail()}`);
  }

  tail(n = 40) {
    return this.lines
      .slice(-n)
      .map((l) => l.text)
      .join('\n');
  }

  /** The process group npm start recorded for a service (run/stack.json). */
  group(name: string): number {
    const state = JSON.parse(fs.readFileSync(path.join(this.dataDir, 'run', 'stack.json'), 'utf8'));
    const group = state.groups.find((g: { name: string }) => g.name === name);
    if (!group) throw new Error(`npm start records no ${name}: ${JSON.stringify(state)}`);
    return group.pid as number;
  }

  /** Basic for the first call; then an API token (no password hash to check on every poll). */
  authorization = CHAOS_AUTH;

  async signIn() {
    const me = await this.call('GET', '/api/v1/me');
    const token = await this.call('POST', `/api/v1/main/users/${me.body.id}/api-tokens`, { name: 'chaos test' });
    if (token.status !== 201) throw new Error(`could not create an API token: ${token.status} ${JSON.stringify(token.body)}`);
    this.authorization = `Bearer ${token.body.token}`;
  }

  async call(method: string, urlPath: string, body?: unknown, contentType = 'application/json') {
    const res = await fetch(`${this.webUrl}${urlPath}`, {
      method,
      headers: { authorization: this.authorization, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async stop() {
    // SIGTERM: npm start stops its process groups; if it cannot, what it left is found from
    // run/stack.json, as the next npm start would.
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await Promise.race([exited, sleep(60_000)]);
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }
    await new RunState(this.dataDir).takeOver();
    this.logFile.end();
  }
}

async function startStack(): Promise<StartedStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-chaos-'));
  // Traversable, so that (as root) the embedded PostgreSQL's cluster stays inside it.
  fs.chmodSync(dataDir, 0o755);
  // The workflow bundle is cached per checkout; reuse it as the shared test stack does.
  fs.mkdirSync(path.join(stack.dataDirFrom(), 'cache'), { recursive: true });
  fs.symlinkSync(path.join(stack.dataDirFrom(), 'cache'), path.join(dataDir, 'cache'));
  const [web, temporal, temporalUi, pg] = [await stack.freePort(), await stack.freePort(), await stack.freePort(), await stack.freePort()];
  const env: Record<string, string | undefined> = {
    ...process.env,
    BATON_DATA_DIR: dataDir,
    PORT: String(web),
    BATON_TEMPORAL_PORT: String(temporal),
    BATON_TEMPORAL_UI_PORT: String(temporalUi),
    BATON_PG_PORT: String(pg),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  // Everything embedded and supervised: nothing of the shared test stack.
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'BATON_TEMPORAL_UI_URL', 'BATON_PLUGIN_DEFAULTS', 'BATON_ADMIN_EMAIL', 'BATON_ADMIN_PASSWORD', 'BATON_AUTH'])
    delete env[name];
  // Its own first admin: the test signs its calls in as that admin (HTTP Basic).
  env.BATON_ADMIN_EMAIL = CHAOS_ADMIN.email;
  env.BATON_ADMIN_PASSWORD = CHAOS_ADMIN.password;
  const child = spawn(process.execPath, [path.join(stack.root, 'scripts/start.mjs')], { cwd: stack.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logPath = path.join(stack.root, 'test-results', 'chaos-stack.log');
  fs.mkdirSync(path.dirname(logPath), { recursive: true });
  const started = new StartedStack(child, dataDir, `http://127.0.0.1:${web}`, `127.0.0.1:${temporal}`, logPath);
  await started.line(/Baton is running\./, 'a running stack');
  await started.signIn();
  return started;
}

function flow(serverUrl: string) {
  // Each HTTP task may lose its attempt to a kill: a short timeout and patient retries let the
  // next attempt (on a restarted worker, or once PostgreSQL is back) finish it.
  const http = (id: string, delayMs: number) => `
  - id: ${id}
    type: io.kestra.plugin.core.http.Request
    uri: "${serverUrl}/chaos/{{ execution.id }}/${id}?delayMs=${delayMs}"
    timeout: PT5S
    retry:
      type: constant
      interval: PT1S
      maxAttempt: 30`;
  const pause = (id: string) => `
  - id: ${id}
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S`;
  return `
id: chaos
namespace: test.chaos
tasks:${http('a', 200)}${pause('s1')}${http('b', 1500)}${pause('s2')}${http('c', 200)}
`;
}

let chaos: StartedStack | undefined;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
  chaos = await startStack();
}, 300_000);

afterAll(async () => {
  await chaos?.stop();
  if (chaos) fs.rmSync(chaos.dataDir, { recursive: true, force: true });
  await server?.close();
}, 120_000);

describe('chaos', () => {
  it('loses, duplicates and strands no execution while npm start restarts each killed process', async () => {
    const s = chaos!;
    const deployed = await s.call('POST', '/api/v1/main/flows', flow(server.url), 'application/x-yaml');
    expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);

    const ids: string[] = [];
    const figures: Record<string, unknown>[] = [];
    const chaosStarted = Date.now();
    let unavailable = 0;
    for (const victim of VICTIMS) {
      const wave = await Promise.all(
        Array.from({ length: PER_WAVE }, async () => {
          // A 503 means "not started, nothing stored, try again" (Retry-After): a client retries,
          // so this one does too; a start that never succeeds still fails the test.
          let started = await s.call('POST', '/api/v1/main/executions/test.chaos/chaos');
          for (let retry = 0; started.status === 503 && retry < 10; retry++) {
            unavailable += 1;
            await new Promise((r) => setTimeout(r, 1_000));
            started = await s.call('POST', '/api/v1/main/executions/test.chaos/chaos');
          }
          expect(started.status, JSON.stringify(started.body)).toBe(200);
          return started.body.id as string;
        }),
      );
      ids.push(...wave);
      // Kill once every execution of this wave has reached the remote service: all are in flight.
      for (let i = 0; i < 600 && !wave.every((id) => server.calls(`/chaos/${id}/a`).length > 0); i++) await sleep(100);
      const reached = wave.filter((id) => server.calls(`/chaos/${id}/a`).length > 0).length;
      const inFlight = ids.filter((id) => server.calls(`/chaos/${id}/c`).length === 0).length;

      const pid = s.group(victim);
      const killedAt = Date.now();
      stack.signalGroup(pid, 'SIGKILL');
      // The supervisor's own words: "<name> (pid N) was killed by SIGKILL ...", then "<name> is back".
      await s.line(new RegExp(`^\\[baton\\] ${victim} \\(pid ${pid}\\) was killed by SIGKILL`), `the supervisor noticing the ${victim} died`, { since: killedAt });
      const back = await s.line(new RegExp(`^\\[baton\\] ${victim} is back \\(pid \\d+\\)`), `${victim} back`, { since: killedAt, timeoutMs: 120_000 });
      expect(s.group(victim)).not.toBe(pid);
      figures.push({ killed: victim, inFlight, waveReachedHttp: `${reached}/${PER_WAVE}`, recoveredInMs: back.at - killedAt });
    }

    // Every execution ends, through the API of the restarted web app.
    const deadline = Date.now() + 180_000;
    const ended = new Map<string, any>();
    while (Date.now() < deadline && ended.size < ids.length) {
      for (const id of ids.filter((i) => !ended.has(i))) {
        const res = await s.call('GET', `/api/v1/main/executions/${id}`).catch(() => undefined);
        if (res?.status === 200 && TERMINAL.includes(res.body.state.current)) ended.set(id, res.body);
      }
      if (ended.size < ids.length) await sleep(500);
    }
    const allEndedMs = Date.now() - chaosStarted;
    const stuck = ids.filter((id) => !ended.has(id));
    const states = [...ended.values()].reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.state.current]: (acc[e.state.current] ?? 0) + 1 }), {});

    // None lost or duplicated: the API and Temporal both know exactly these executions, once each.
    const search = await s.call('GET', '/api/v1/main/executions/search?namespace=test.chaos&flowId=chaos&size=200');
    const listed: string[] = search.body.results.map((e: { id: string }) => e.id);
    const connection = await Connection.connect({ address: s.temporalAddress });
    const workflows: { id: string; status: string }[] = [];
    try {
      const client = new Client({ connection });
      for await (const w of client.workflow.list({ query: `BatonFlowId = 'chaos'` })) workflows.push({ id: w.workflowId, status: w.status.name });
    } finally {
      await connection.close();
    }
    const duplicatedTaskRuns = [...ended.values()].filter((e) => new Set(e.taskRunList.map((t: any) => t.taskId)).size !== e.taskRunList.length).length;
    const httpCalls = ids.flatMap((id) => ['a', 'b', 'c'].map((t) => server.calls(`/chaos/${id}/${t}`).length));
    const summary = {
      executions: ids.length,
      states,
      lost: ids.filter((id) => !listed.includes(id)).length,
      duplicated: listed.length - new Set(listed).size + duplicatedTaskRuns,
      stuck: stuck.length,
      temporalWorkflows: workflows.length,
      httpCalls: httpCalls.reduce((a, b) => a + b, 0),
      httpCallsRepeated: httpCalls.filter((n) => n > 1).length,
      allEndedAfterMs: allEndedMs,
      kills: figures,
      startsAnsweredUnavailable: unavailable,
    };
    console.log(`[chaos] ${JSON.stringify(summary, null, 2)}`);

    expect(stuck, `stuck executions; stack output:\n${s.tail()}`).toEqual([]);
    expect(states).toEqual({ SUCCESS: TOTAL });
    expect(search.body.total).toBe(TOTAL);
    expect([...listed].sort()).toEqual([...ids].sort());
    expect(duplicatedTaskRuns).toBe(0);
    expect(workflows.map((w) => w.id).sort()).toEqual([...ids].sort());
    expect(new Set(workflows.map((w) => w.status))).toEqual(new Set(['COMPLETED']));
    for (const e of ended.values()) {
      expect(e.taskRunList.map((t: any) => `${t.taskId}:${t.state.current}`)).toEqual(['a', 's1', 'b', 's2', 'c'].map((t) => `${t}:SUCCESS`));
    }
    // Every HTTP task reached the service at least once (a retry after a kill may repeat it).
    expect(httpCalls.every((n) => n >= 1)).toBe(true);
    // The stack healed itself: npm start never exited and the web app answers.
    expect(s.child.exitCode).toBeNull();
    expect((await s.call('GET', '/api/health')).status).toBe(200);
  }, 600_000);
});
