// Schedule triggers across a real worker restart (issue #13: "survives a restart of every Baton
// process without a lost or duplicate execution"). The stack's worker is SIGKILLed while schedules
// are due, stays down for several fire times, and a new worker process takes over: every fire time
// has exactly one execution (recoverMissedSchedules: ALL), while a schedule with lateMaximumDelay
// skips the times that became too late. Then stopAfter: a trigger disables itself after an
// execution it started ends in a listed state, and only then.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { getDb } from '@baton/db';
import { api } from '@baton/testing';
import { killStackWorkers, startReplacementWorker } from '@baton/testing/stack-workers';

const client = api();
const db = getDb(inject('databaseUrl'));
const NS = 'test.trigger.restart';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function executionsOf(flowId: string): Promise<any[]> {
  const res = await client.call('GET', `/api/v1/main/executions/search?namespace=${NS}&flowId=${flowId}&size=200`);
  expect(res.status).toBe(200);
  return res.body.results;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false | ''>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const deployed: string[] = [];
async function deploy(yaml: string) {
  const res = await client.deploy(yaml);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  deployed.push(res.body.id);
}

afterAll(async () => {
  // Deleting a flow ends its scheduler: nothing keeps firing after the suite.
  for (const id of deployed) await client.call('DELETE', `/api/v1/main/flows/${NS}/${id}`);
});

const flow = (id: string, trigger: string, task = 'type: io.kestra.plugin.core.debug.Return\n    format: "{{ trigger.date }}"') => `id: ${id}
namespace: ${NS}
tasks:
  - id: when
    ${task}
triggers:
  - id: tick
${trigger}
`;

/** Fire times (ms) of a flow's executions, sorted. */
async function fireTimes(flowId: string): Promise<number[]> {
  return (await executionsOf(flowId)).map((e) => Date.parse(e.trigger.variables.date)).sort((a, b) => a - b);
}

describe('Schedule trigger across a worker restart', () => {
  it('the worker SIGKILLed while fire times are due: after a new worker starts, each time ran exactly once; lateMaximumDelay skips the late ones', async () => {
    const EVERY = 2_000;
    await deploy(
      flow(
        'every-2s-all',
        `    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/2 * * * * *"
    withSeconds: true
    recoverMissedSchedules: ALL`,
      ),
    );
    await deploy(
      flow(
        'every-2s-late',
        `    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/2 * * * * *"
    withSeconds: true
    recoverMissedSchedules: ALL
    lateMaximumDelay: PT4S`,
      ),
    );
    await until('both schedules firing', async () => (await executionsOf('every-2s-all')).length >= 2 && (await executionsOf('every-2s-late')).length >= 2);

    // Stop every worker of the stack for real: SIGKILL their process groups, as a crash would (after an
    // earlier file's crash test, the stack's worker is a replacement).
    await killStackWorkers(inject('workerPid'), inject('dataDir'));
    const killedAt = Date.now();
    // Down for at least 12 s: six fire times fall due with nobody to run the scheduler.
    await until('12 s of downtime', async () => Date.now() - killedAt >= 12_000, 30_000);

    // The replacement serves the rest of the run: the global teardown stops it.
    await startReplacementWorker(inject('dataDir'));
    const restartedAt = Date.now();

    // Wait for fire times well after the restart, then stop both schedules.
    await until(
      'fires after the restart',
      async () => {
        const [all, late] = [await fireTimes('every-2s-all'), await fireTimes('every-2s-late')];
        return all.at(-1)! > restartedAt + 2 * EVERY && late.at(-1)! > restartedAt + 2 * EVERY;
        // An evaluation cut off by the kill is retried after its 1-minute activity timeout.
      },
      150_000,
    );
    for (const id of ['every-2s-all', 'every-2s-late']) expect((await client.call('PUT', `/api/v1/main/triggers/${NS}/${id}/tick`, { disabled: true })).status).toBe(200);
    await sleep(1_500); // an evaluation already running when it was disabled may still start its time

    // ALL: no duplicate, and no fire time lost, across the downtime.
    const all = await fireTimes('every-2s-all');
    expect(new Set(all).size).toBe(all.length);
    const expected = [];
    for (let t = all[0]; t <= all.at(-1)!; t += EVERY) expected.push(t);
    expect(all).toEqual(expected);
    const duringDowntime = all.filter((t) => t > killedAt && t < restartedAt);
    expect(duringDowntime.length).toBeGreaterThanOrEqual(5);
    // Every one of them ran to the end on the new worker.
    for (const e of await executionsOf('every-2s-all')) expect((await client.waitFor(e.id, undefined, 120_000)).state.current).toBe('SUCCESS');

    // lateMaximumDelay PT4S: the times missed for more than 4 s were skipped, not started late (the
    // reason is kept on the trigger only until the next clean fire, so the gap is what is checked).
    const late = await fireTimes('every-2s-late');
    expect(new Set(late).size).toBe(late.length);
    const gaps = late.slice(1).map((t, i) => t - late[i]);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(4 * EVERY);
    expect(late.filter((t) => t > killedAt && t < restartedAt - 4_000 - EVERY)).toEqual([]);
    // Generous: a scheduler evaluation cut off by the kill waits out its 1-minute activity timeout.
  }, 420_000);
});

describe('stopAfter', () => {
  it('a trigger with stopAfter: [FAILED] disables itself after its first failed execution and starts nothing more', async () => {
    await deploy(
      flow(
        'stop-after-failed',
        `    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
    stopAfter: [FAILED]`,
        'type: io.kestra.plugin.core.execution.Fail\n    errorMessage: "always fails"',
      ),
    );
    const row = await until('the trigger disabled by stopAfter', async () => {
      const r = await db.flowTrigger.findFirst({ where: { tenant: 'main', namespace: NS, flowId: 'stop-after-failed', triggerId: 'tick' } });
      return r?.disabled ? r : undefined;
    });
    // The reason says stopAfter until the scheduler's next wake replaces it with "the trigger is disabled".
    expect(row.lastReason).toMatch(/disabled by stopAfter: execution \S+ ended FAILED|the trigger is disabled/);
    const listed = await client.call('GET', `/api/v1/main/triggers?namespace=${NS}&flowId=stop-after-failed`);
    expect(listed.body.results.find((t: any) => t.triggerId === 'tick')).toMatchObject({ disabled: true });
    await sleep(1_500); // an evaluation already running when it was disabled may still start its time
    const before = (await executionsOf('stop-after-failed')).length;
    await sleep(3_000);
    expect((await executionsOf('stop-after-failed')).length).toBe(before);
    expect((await executionsOf('stop-after-failed')).every((e) => e.state.current === 'FAILED' || e.state.current === 'RUNNING' || e.state.current === 'CREATED')).toBe(true);
  });

  it('stopAfter: [FAILED] leaves a trigger whose executions succeed firing', async () => {
    await deploy(
      flow(
        'stop-after-ok',
        `    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
    stopAfter: [FAILED]`,
      ),
    );
    const runs = await until('three successful executions', async () => {
      const list = await executionsOf('stop-after-ok');
      return list.filter((e) => e.state.current === 'SUCCESS').length >= 3 && list;
    });
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const row = await db.flowTrigger.findFirst({ where: { tenant: 'main', namespace: NS, flowId: 'stop-after-ok', triggerId: 'tick' } });
    expect(row?.disabled).toBe(false);
    expect((await client.call('PUT', `/api/v1/main/triggers/${NS}/stop-after-ok/tick`, { disabled: true })).status).toBe(200);
  });
});
