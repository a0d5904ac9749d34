// The API's own kill paths, where the workflow will not record KILLED itself: the workflow is
// already gone, and a second kill of an execution still KILLING terminates it. Both used to set
// KILLED without a history entry and left the task runs open; now they go through the `killed`
// transition (packages/engine/src/state): entry appended, task runs and attempts ended.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getDb } from '@baton/db';
import { api, taskRun } from '@baton/testing';
import { transitionExecution } from '../src/state/transitions';

const client = api();
const db = getDb(inject('databaseUrl'));
let connection: Connection;
let temporal: Client;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = new Client({ connection, namespace: 'default' });
});

afterAll(async () => {
  await connection.close();
});

const pausedFlow = (id: string) => `
id: ${id}
namespace: test.kill
tasks:
  - id: hold
    type: io.kestra.plugin.core.flow.Pause
`;

const states = (execution: any) => execution.state.histories.map((h: any) => h.state);

describe('kill paths of the API', () => {
  it('records KILLED with its history entry when the workflow is already gone', async () => {
    const id = await client.deployAndRun(pausedFlow('gone'));
    await client.waitFor(id, ['PAUSED']);
    await temporal.workflow.getHandle(id).terminate('gone before the kill');
    const killed = await client.kill(id);
    expect(killed.status, JSON.stringify(killed.body)).toBe(202);
    // Temporal accepts the cancel of a closed workflow; the API sees it closed and records KILLED.
    expect(killed.body.state).toBe('KILLED');
    const done = (await client.execution(id)).body;
    expect(done.state.current).toBe('KILLED');
    expect(states(done)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'KILLING', 'KILLED']);
    expect(done.state.histories.at(-1).by).toBeTruthy();
    expect(done.state.endDate).toBeTruthy();
    // The paused task run ends with it (nobody else would end it).
    expect(taskRun(done, 'hold').state.current).toBe('KILLED');
    expect(taskRun(done, 'hold').state.histories.at(-1).state).toBe('KILLED');
  });

  it('a second kill of an execution still KILLING terminates it and records KILLED with its entry', async () => {
    const id = await client.deployAndRun(pausedFlow('stuck-killing'));
    await client.waitFor(id, ['PAUSED']);
    // A first kill that marked KILLING but never reached the workflow (as when its worker is gone).
    expect(await transitionExecution(db, id, 'kill', { at: new Date().toISOString(), by: 'first kill' })).toBe(true);
    // The workflow is alive (PAUSED): only this execution's row says KILLING.
    const forced = await client.kill(id);
    expect(forced.status, JSON.stringify(forced.body)).toBe(202);
    expect(forced.body.state).toBe('KILLED');
    const done = (await client.execution(id)).body;
    expect(states(done)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'KILLING', 'KILLED']);
    expect(done.error).toBe('terminated');
    expect(taskRun(done, 'hold').state.current).toBe('KILLED');
    expect((await temporal.workflow.getHandle(id).describe()).status.name).toBe('TERMINATED');
    // Ended: a third kill is refused, the row stays as it is.
    expect((await client.kill(id)).status).toBe(409);
  });
});
