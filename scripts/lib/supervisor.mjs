// Keeps the stack's children running: a child that dies after it was ready once is restarted with
// exponential backoff, and only stop() (Ctrl-C, SIGTERM) ends them. Plain JavaScript, no
// dependencies: `npm start` uses it before `npm install` has run, and tests drive it directly.
//
// A service is { name, spawn, ready?, stopSignal?, graceMs?, logHint? }:
//   spawn()      returns a ChildProcess (or a promise of one) spawned `detached`, so the child leads
//                its own process group and whatever it starts can be stopped with it
//   ready(child) resolves when the child serves; the first start waits for it, restarts only log it
import os from 'node:os';
import { groupAlive, stopGroup } from './process-group.mjs';

export const DEFAULT_POLICY = Object.freeze({
  initialDelayMs: 500, // first restart after half a second...
  maxDelayMs: 30_000, // ...doubling up to 30 s
  healthyAfterMs: 60_000, // a child that ran this long starts again from the first delay
  crashLoopCount: 5, // this many failures...
  crashLoopWindowMs: 60_000, // ...within this window is called a crash loop (it still backs off)
});

export function backoffDelay(consecutiveFailures, policy = DEFAULT_POLICY) {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, consecutiveFailures - 1));
}

export function describeExit(code, signal) {
  if (signal) return `was killed by ${signal}`;
  // A wrapper (tsx, sh) reports its program's death by a signal as 128 + the signal's number.
  const byNumber = code > 128 ? Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
  return `exited with code ${code}${byNumber ? ` (its program was killed by ${byNumber})` : ''}`;
}

export function formatDuration(ms) {
  if (ms < 100) return `${Math.round(ms)} ms`;
  if (ms < 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function oneLine(error) {
  return String(error?.message ?? error).split('\n')[0];
}

export class Supervisor {
  /**
   * @param {{ log?: (line: string) => void, policy?: Partial<typeof DEFAULT_POLICY>,
   *   onSpawn?: (name: string, child: import('node:child_process').ChildProcess, stopSignal?: string) => void }} options
   */
  constructor({ log = (line) => console.log(`[baton] ${line}`), policy = {}, onSpawn } = {}) {
    this.log = log;
    this.onSpawn = onSpawn;
    this.policy = { ...DEFAULT_POLICY, ...policy };
    this.services = [];
    this.stopping = false;
    /** Every child ever spawned and not yet known to be gone, so stop() misses none. */
    this.live = new Set();
  }

  /**
   * Starts a service, waits until it is ready and supervises it from then on. Rejects (leaving
   * nothing running) when the first start fails: that is a start error for the caller to explain.
   */
  async start(spec) {
    if (this.stopping) throw new Error(`not starting ${spec.name}: the stack is stopping`);
    const svc = { spec, child: undefined, supervised: false, startedAt: 0, consecutive: 0, failures: [], timer: undefined, restarts: 0 };
    this.services.push(svc);
    try {
      const child = await this.#spawn(svc);
      await Promise.race([
        spec.ready ? spec.ready(child) : Promise.resolve(),
        svc.exited.then(({ code, signal }) => {
          throw new Error(`${spec.name} ${describeExit(code, signal)} before it was ready${spec.logHint ? `; see ${spec.logHint}` : ''}`);
        }),
      ]);
      if (this.stopping) throw new Error(`${spec.name}: the stack is stopping`);
      svc.supervised = true;
      return child;
    } catch (error) {
      this.services.splice(this.services.indexOf(svc), 1);
      if (svc.child) await stopGroup(svc.child, { signal: spec.stopSignal, graceMs: spec.graceMs ?? 5000 });
      throw error;
    }
  }

  /** The running child of a service, e.g. to read its pid. */
  child(name) {
    return this.services.find((s) => s.spec.name === name)?.child;
  }

  async #spawn(svc) {
    const child = await svc.spec.spawn();
    // A spawn that fails (missing or non-executable file) emits 'error' instead of 'spawn'.
    await new Promise((resolve, reject) => {
      if (child.pid) return resolve();
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.on('error', () => {}); // later errors (a failed kill) must not crash the supervisor
    this.live.add(child);
    this.onSpawn?.(svc.spec.name, child, svc.spec.stopSignal);
    svc.child = child;
    svc.startedAt = Date.now();
    svc.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    svc.exited.then(({ code, signal }) => this.#onExit(svc, child, code, signal));
    if (this.stopping) await stopGroup(child, { signal: svc.spec.stopSignal, graceMs: 2000 });
    return child;
  }

  #onExit(svc, child, code, signal) {
    if (this.stopping || !svc.supervised || svc.child !== child) return;
    const uptime = Date.now() - svc.startedAt;
    this.#scheduleRestart(svc, child, `(pid ${child.pid}) ${describeExit(code, signal)} after running ${formatDuration(uptime)}`, uptime);
  }

  /** Counts a failure, logs it in one line and restarts the service after the backoff delay. */
  #scheduleRestart(svc, previous, what, uptime) {
    const { name, logHint } = svc.spec;
    const now = Date.now();
    if (uptime >= this.policy.healthyAfterMs) svc.consecutive = 0;
    svc.consecutive += 1;
    svc.failures = svc.failures.filter((t) => now - t < this.policy.crashLoopWindowMs);
    svc.failures.push(now);
    const delay = backoffDelay(svc.consecutive, this.policy);
    const loop = svc.failures.length >= this.policy.crashLoopCount;
    const at = new Date(now + delay).toISOString().slice(11, 19);
    this.log(
      `${name} ${what}; restarting it in ${formatDuration(delay)} (at ${at} UTC)` +
        (loop
          ? `. It is crash-looping (${svc.failures.length} failures in the last ${formatDuration(this.policy.crashLoopWindowMs)}): ` +
            `it keeps being restarted, waiting up to ${formatDuration(this.policy.maxDelayMs)} between tries${logHint ? `; its log: ${logHint}` : ''}`
          : ''),
    );
    svc.timer = setTimeout(() => void this.#restart(svc, previous), delay);
  }

  async #restart(svc, previous) {
    svc.timer = undefined;
    if (this.stopping) return;
    // Whatever the dead child started (tsx's node, next-server, PostgreSQL backends) would hold
    // its port or shared memory: stop the rest of its group first.
    await stopGroup(previous, { signal: 'SIGTERM', graceMs: 2000 });
    this.live.delete(previous);
    if (this.stopping) return;
    svc.restarts += 1;
    let child;
    try {
      child = await this.#spawn(svc);
    } catch (error) {
      if (!this.stopping) this.#scheduleRestart(svc, previous, `could not be restarted (${oneLine(error)})`, 0);
      return;
    }
    if (!svc.spec.ready) return this.log(`${svc.spec.name} restarted (pid ${child.pid})`);
    try {
      await Promise.race([
        svc.spec.ready(child),
        svc.exited.then(() => {
          throw new Error('exited');
        }),
      ]);
      if (svc.child === child && !this.stopping) this.log(`${svc.spec.name} is back (pid ${child.pid})`);
    } catch {
      // An exit is reported (and retried) by #onExit; a child that never gets ready stays running.
    }
  }

  /** Stops every service, last started first, each with its whole process group. */
  async stop() {
    this.stopping = true;
    for (const svc of this.services) clearTimeout(svc.timer);
    for (const svc of [...this.services].reverse()) {
      if (svc.child) await stopGroup(svc.child, { signal: svc.spec.stopSignal ?? 'SIGTERM', graceMs: svc.spec.graceMs ?? 10_000 });
    }
    // Children of earlier incarnations whose groups are somehow still around.
    for (const child of this.live) if (groupAlive(child)) await stopGroup(child, { graceMs: 2000 });
    this.live.clear();
  }
}
