// Kestra's retention tasks on the real stack: PurgeExecutions deletes ended executions (never a
// running one, never another tenant's) with their logs; PurgeLogs deletes lines by level.
import { describe, expect, it } from 'vitest';
import { api, taskRun } from '@baton/testing';

const client = api();

describe('PurgeExecutions and PurgeLogs', () => {
  it('deletes ended executions of a namespace with their logs, and keeps paused and other ones', async () => {
    const old1 = await client.waitFor(
      await client.deployAndRun('id: old\nnamespace: test.purge.exec.a\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: one\n'),
    );
    const old2 = await client.waitFor((await client.run('test.purge.exec.a', 'old')).body.id);
    const failed = await client.waitFor(
      await client.deployAndRun('id: bad\nnamespace: test.purge.exec.a.child\ntasks:\n  - id: f\n    type: io.kestra.plugin.core.execution.Fail\n'),
    );
    const elsewhere = await client.waitFor(
      await client.deployAndRun('id: keep\nnamespace: test.purge.exec.b\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: kept\n'),
    );
    const pausedId = await client.deployAndRun('id: waits\nnamespace: test.purge.exec.a\ntasks:\n  - id: p\n    type: io.kestra.plugin.core.flow.Pause\n');
    await client.waitFor(pausedId, ['PAUSED']);

    const purge = await client.waitFor(
      await client.deployAndRun(`
id: purge-them
namespace: test.purge.runner
tasks:
  - id: success_only
    type: io.kestra.plugin.core.execution.PurgeExecutions
    namespace: test.purge.exec.a
    endDate: "{{ now() }}"
    states: [SUCCESS]
  - id: the_rest
    type: io.kestra.plugin.core.execution.PurgeExecutions
    namespace: test.purge.exec.a
    endDate: "{{ now() }}"
`),
    );
    expect(purge.state.current, purge.error).toBe('SUCCESS');
    expect(taskRun(purge, 'success_only').outputs).toEqual({ executionsCount: 2, logsCount: 2, storagesCount: 0 });
    expect(taskRun(purge, 'the_rest').outputs.executionsCount).toBe(1);
    for (const gone of [old1, old2, failed]) expect((await client.execution(gone.id)).status).toBe(404);
    expect((await client.execution(elsewhere.id)).status).toBe(200);
    expect((await client.execution(pausedId)).body.state.current).toBe('PAUSED');
    await client.kill(pausedId);
  });

  it('PurgeLogs deletes lines of the chosen levels from ended executions only', async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: chatty
namespace: test.purge.logs
tasks:
  - id: debug
    type: io.kestra.plugin.core.log.Log
    level: DEBUG
    message: noise
  - id: info
    type: io.kestra.plugin.core.log.Log
    message: signal
`),
    );
    const purge = await client.waitFor(
      await client.deployAndRun(`
id: purge-logs
namespace: test.purge.runner
tasks:
  - id: purge
    type: io.kestra.plugin.core.log.PurgeLogs
    namespace: test.purge.logs
    logLevels: [DEBUG]
    endDate: "{{ now() }}"
`),
    );
    expect(purge.state.current, purge.error).toBe('SUCCESS');
    expect(taskRun(purge, 'purge').outputs.count).toBe(1);
    const logs = await client.logs(done.id);
    expect(logs.body.map((l: any) => l.message)).toEqual(['signal']);
  });
});
