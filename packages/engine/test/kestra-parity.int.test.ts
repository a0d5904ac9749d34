// Kestra features ported for parity, on the real stack (Temporal workflow, activities, API):
// the Dag flowable, Kestra's input features and http.Request's encryptBody.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, historyPayloads, taskRun } from '@baton/testing';
import { EncryptionCodec, keyringFrom } from '../src/crypto/index';

const client = api();

describe('Dag', () => {
  it("runs Kestra's Dag example in dependency order and fails like Parallel", async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: dag-order
namespace: test.parity
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: task5
          type: io.kestra.plugin.core.debug.Return
          format: "{{ outputs.task4.value }}+{{ outputs.task3.value }}"
        dependsOn: [task4, task3]
      - task:
          id: task1
          type: io.kestra.plugin.core.debug.Return
          format: "1"
      - task:
          id: task2
          type: io.kestra.plugin.core.debug.Return
          format: "{{ outputs.task1.value }}2"
        dependsOn: [task1]
      - task:
          id: task3
          type: io.kestra.plugin.core.debug.Return
          format: "{{ outputs.task1.value }}3"
        dependsOn: [task1]
      - task:
          id: task4
          type: io.kestra.plugin.core.debug.Return
          format: "{{ outputs.task2.value }}4"
        dependsOn: [task2]
`),
    );
    expect(done.state.current, done.error).toBe('SUCCESS');
    // Each task read its dependencies' outputs, so each started after they ended.
    expect(taskRun(done, 'task5').outputs.value).toBe('124+13');
    expect(done.taskRunList).toHaveLength(6);
    const dag = taskRun(done, 'dag');
    expect(done.taskRunList.filter((t: any) => t.taskId !== 'dag').every((t: any) => t.parentTaskRunId === dag.id)).toBe(true);

    const failed = await client.waitFor(
      await client.deployAndRun(`
id: dag-fails
namespace: test.parity
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: ko
          type: io.kestra.plugin.core.execution.Fail
      - task:
          id: after_ko
          type: io.kestra.plugin.core.log.Log
          message: never
        dependsOn: [ko]
`),
    );
    expect(failed.state.current).toBe('FAILED');
    expect(taskRun(failed, 'dag').state.current).toBe('FAILED');
    expect(failed.taskRunList.some((t: any) => t.taskId === 'after_ko')).toBe(false);
  });

  it('refuses a cycle with 422, the line and column and the tasks in it', async () => {
    const res = await client.deploy(`id: dag-cycle
namespace: test.parity
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: a
          type: io.kestra.plugin.core.log.Log
          message: a
        dependsOn: [b]
      - task:
          id: b
          type: io.kestra.plugin.core.log.Log
          message: b
        dependsOn: [a]
`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'tasks[0].tasks[0].dependsOn', line: 11, column: 20, message: 'Cyclic dependency detected: a, b' })]);
  });
});

describe('inputs as Kestra has them', () => {
  const FLOW = `
id: inputs-parity
namespace: test.parity
inputs:
  - id: request.name
    type: STRING
    prefill: from-the-form
  - id: request.size
    type: INT
    defaults: 2
  - id: cloud
    type: SELECT
    values: [aws, gcp]
  - id: region
    type: STRING
    dependsOn:
      inputs: [cloud]
      condition: "{{ inputs.cloud == 'aws' }}"
  - id: zone
    type: STRING
    defaults: "{{ inputs.region }}-a"
    dependsOn:
      inputs: [region]
tasks:
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.request.name }}/{{ inputs.request.size }}/{{ inputs.region ?? 'none' }}/{{ inputs.zone ?? 'none' }}"
`;

  it('dotted ids nest, dependsOn decides what is required, defaults render with earlier inputs; prefill is not a default', async () => {
    const deployed = await client.deploy(FLOW);
    expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
    const aws = await client.waitFor((await client.run('test.parity', 'inputs-parity', { 'request.name': 'web', cloud: 'aws', region: 'eu-west-1' })).body.id);
    expect(aws.state.current, aws.error).toBe('SUCCESS');
    expect(taskRun(aws, 'show').outputs.value).toBe('web/2/eu-west-1/eu-west-1-a');

    // region's condition is false: not required, and a value given for it is ignored.
    const gcp = await client.waitFor((await client.run('test.parity', 'inputs-parity', { 'request.name': 'web', cloud: 'gcp', region: 'ignored' })).body.id);
    expect(taskRun(gcp, 'show').outputs.value).toBe('web/2/none/none');

    // prefill only fills the form: omitted by API, the required input is missing (4xx, clear message).
    const missing = await client.run('test.parity', 'inputs-parity', { cloud: 'aws' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([
      { input: 'request.name', message: "input 'request.name' is required" },
      { input: 'region', message: "input 'region' is required" },
    ]);
  });
});

describe('http.Request encryptBody', () => {
  const plaintext = `body-${randomUUID()}`;
  const received: string[] = [];
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/token') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(plaintext);
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('stores the body encrypted, and a later task renders the plaintext, masked in its logs', async () => {
    const id = await client.deployAndRun(`
id: encrypt-body
namespace: test.parity
tasks:
  - id: fetch
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/token
    encryptBody: true
  - id: forward
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/echo
    method: POST
    contentType: text/plain
    body: "{{ outputs.fetch.encryptedBody }}"
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "got {{ outputs.fetch.encryptedBody }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current, done.error).toBe('SUCCESS');
    // The next task rendered the plaintext: the peer received it.
    expect(received).toEqual([plaintext]);
    const fetch = taskRun(done, 'fetch').outputs;
    expect(fetch.body).toBeNull();
    expect(fetch.encryptedBody.type).toBe('io.kestra.datatype:aes_encrypted');
    // Not in the API's answers (execution, logs), where the plaintext is masked like a secret.
    const logs = (await client.logs(id)).body;
    expect(JSON.stringify(logs)).toContain('got ******');
    expect(JSON.stringify(done) + JSON.stringify(logs)).not.toContain(plaintext);

    // Not in PostgreSQL: every row of the execution, as text.
    const { default: pg } = await import('pg');
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    try {
      const rows = await db.query(
        `SELECT (SELECT json_agg(t)::text FROM task_runs t WHERE execution_id = $1) AS runs,
                (SELECT json_agg(l)::text FROM logs l WHERE execution_id = $1) AS logs,
                (SELECT row_to_json(e)::text FROM executions e WHERE id = $1) AS execution`,
        [id],
      );
      const text = Object.values(rows.rows[0]).join('\n');
      expect(text).toContain('aes_encrypted');
      expect(text).not.toContain(plaintext);
    } finally {
      await db.end();
    }

    // Not in Temporal history, even decoded with the key.
    const codec = new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined));
    const payloads = await historyPayloads(id);
    const decoded = await codec.decode(payloads as never);
    const history = decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString()).join('\n');
    expect(history).toContain('aes_encrypted');
    expect(history).not.toContain(plaintext);
  });
});
