// Flow triggers across a real worker restart (issue #13: "survives a restart of every Baton
// process without a lost or duplicate execution"). Flow triggers are evaluated by the worker only
// (at an execution's end: the last task's activity or the end projection), never by the web
// process, so the worker is the process whose death matters. The upstream execution's pause runs
// out while the stack's worker is SIGKILLed; its end is then handled by a replacement worker, and
// the downstream flow must have exactly one execution for that end.
import { describe, expect, inject, it } from 'vitest';
import { api } from '@baton/testing';
import { killStackWorkers, startReplacementWorker } from '@baton/testing/stack-workers';

const client = api();
const NS = 'test.flowtrigger.restart';
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

describe('Flow trigger across a worker restart', () => {
  it("the upstream's end is handled by a replacement worker after a SIGKILL: the downstream fires exactly once", async () => {
    for (const yaml of [
      `id: upstream
namespace: ${NS}
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT8S
  - id: done
    type: io.kestra.plugin.core.debug.Return
    format: finished
`,
      `id: downstream
namespace: ${NS}
tasks:
  - id: seen
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.executionId }}"
triggers:
  - id: after_upstream
    type: io.kestra.plugin.core.trigger.Flow
    states: [SUCCESS]
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: ${NS}
        flowId: upstream
`,
    ]) {
      const res = await client.deploy(yaml);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
    const started = await client.run(NS, 'upstream');
    expect(started.status).toBe(200);
    const upstreamId = started.body.id as string;
    // Paused: the workflow now waits on a durable timer that will run out while no worker lives.
    await until('the upstream paused', async () => (await client.execution(upstreamId)).body.state.current === 'PAUSED');

    // Every live worker: after an earlier file's crash test, the stack's worker is a replacement.
    await killStackWorkers(inject('workerPid'), inject('dataDir'));
    const killedAt = Date.now();
    // Down past the pause: the timer fires with nobody to run the rest of the upstream or its Flow triggers.
    await until('the pause elapsed during the downtime', async () => Date.now() - killedAt >= 10_000, 30_000);
    expect((await client.execution(upstreamId)).body.state.current).not.toBe('SUCCESS');
    expect(await executionsOf('downstream')).toEqual([]);

    await startReplacementWorker(inject('dataDir'));

    const upstream = await client.waitFor(upstreamId, undefined, 180_000);
    expect(upstream.state.current).toBe('SUCCESS');
    const [downstream] = await until(
      'the downstream started',
      async () => {
        const list = await executionsOf('downstream');
        return list.length ? list : undefined;
      },
      120_000,
    );
    expect((await client.waitFor(downstream.id, undefined, 120_000)).state.current).toBe('SUCCESS');
    expect(downstream.trigger).toMatchObject({ id: 'after_upstream', variables: expect.objectContaining({ executionId: upstreamId }) });

    // Exactly once: a second evaluation of the same end (the last task's activity and the end
    // projection both handle ends; a retried activity) would start the same deterministic id, which
    // the database refuses. Wait until a later execution proves the worker is past this end.
    const marker = await client.deployAndRun(`id: marker
namespace: ${NS}
tasks:
  - id: ok
    type: io.kestra.plugin.core.debug.Return
    format: later
`);
    expect((await client.waitFor(marker, undefined, 120_000)).state.current).toBe('SUCCESS');
    expect(await executionsOf('downstream')).toHaveLength(1);
  }, 420_000);
});
