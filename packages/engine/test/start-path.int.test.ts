// The start's one-round-trip path (ExecutionService.start): the API inserts the execution with the
// plan it read last, on condition that the plan is still the flow's latest and no kill switch
// refuses the start. Whatever changed in between (a deploy, namespace defaults, a switch, a
// delete, a disabled flow) must be seen by the very next start, as if the flow were read again.
// Real stack: web app, worker, Temporal and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { api } from '@baton/testing';

const admin = api();
const NS = 'test.startpath';

const flow = (id: string, extra: { inputs?: string; message?: string; disabled?: boolean } = {}) => `id: ${id}
namespace: ${NS}
${extra.disabled ? 'disabled: true\n' : ''}${extra.inputs ? `inputs:\n${extra.inputs}` : ''}tasks:
  - id: hello
    type: io.kestra.plugin.core.debug.Return
    format: "${extra.message ?? 'one'}"
`;

async function deploy(yaml: string) {
  const res = await admin.deploy(yaml);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}
const start = (flowId: string, inputs: Record<string, unknown> = {}) => admin.call('POST', `/api/v1/main/executions/${NS}/${flowId}`, inputs);
async function started(flowId: string, inputs: Record<string, unknown> = {}) {
  const res = await start(flowId, inputs);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: string; flowRevision: number };
}
async function ended(id: string) {
  for (;;) {
    const res = await admin.call('GET', `/api/v1/main/executions/${id}`);
    if (['SUCCESS', 'FAILED', 'WARNING', 'KILLED', 'CANCELLED'].includes(res.body.state.current)) return res.body;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('start path: the plan read last is used only while it is still the latest', () => {
  it('a deploy between two starts: the second start runs the new revision', async () => {
    await deploy(flow('redeployed', { message: 'first' }));
    const first = await started('redeployed');
    expect(first.flowRevision).toBe(1);
    await deploy(flow('redeployed', { message: 'second' }));
    const second = await started('redeployed');
    expect(second.flowRevision).toBe(2);
    const run = await ended(second.id);
    expect(run.taskRunList[0].outputs).toEqual({ value: 'second' });
    // And again, now from the plan it just read.
    expect((await started('redeployed')).flowRevision).toBe(2);
  });

  it('inputs the new revision refuses are refused, though the previous revision took them', async () => {
    await deploy(flow('stricter', { inputs: '  - id: count\n    type: STRING\n' }));
    await started('stricter', { count: 'many' });
    await deploy(flow('stricter', { inputs: '  - id: count\n    type: INT\n' }));
    const res = await start('stricter', { count: 'many' });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(JSON.stringify(res.body.errors)).toContain('count');
    expect((await started('stricter', { count: 3 })).flowRevision).toBe(2);
  });

  it('a kill switch set after a start refuses the next start, and lifting it lets starts through', async () => {
    await deploy(flow('switched'));
    await started('switched');
    const set = await admin.call('POST', '/api/v1/main/kill-switches', { scope: { namespace: NS, flowId: 'switched' }, mode: 'BLOCK', reason: 'start path test' });
    expect(set.status, JSON.stringify(set.body)).toBe(201);
    const refused = await start('switched');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(set.body.id);
    const lifted = await admin.call('DELETE', `/api/v1/main/kill-switches/${set.body.id}`);
    expect(lifted.status).toBe(200);
    await started('switched');
  });

  it('a deleted flow is not found and a disabled one is refused, right after a start', async () => {
    await deploy(flow('deleted'));
    await started('deleted');
    const del = await admin.call('DELETE', `/api/v1/main/flows/${NS}/deleted`);
    expect(del.status, JSON.stringify(del.body)).toBeLessThan(300);
    expect((await start('deleted')).status).toBe(404);

    await deploy(flow('disabled'));
    await started('disabled');
    await deploy(flow('disabled', { disabled: true }));
    const refused = await start('disabled');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('disabled');
  });

  it('namespace plugin defaults changed under the same revision reach the next start', async () => {
    const ns = `${NS}.defaults`;
    const setDefault = async (format: string) => {
      const res = await admin.call('PUT', `/api/v1/main/namespaces/${ns}/plugin-defaults`, {
        defaults: [{ type: 'io.kestra.plugin.core.debug.Return', values: { format } }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await setDefault('from-defaults-1');
    await deploy(`id: defaulted\nnamespace: ${ns}\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.debug.Return\n`);
    const run = async () => {
      const res = await admin.call('POST', `/api/v1/main/executions/${ns}/defaulted`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return ended(res.body.id);
    };
    expect((await run()).taskRunList[0].outputs).toEqual({ value: 'from-defaults-1' });
    await setDefault('from-defaults-2');
    const second = await run();
    expect(second.flowRevision).toBe(1);
    expect(second.taskRunList[0].outputs).toEqual({ value: 'from-defaults-2' });
  });
});
