// The drift-detection blueprint (blueprints/ansible-drift-detection.yaml), deployed as shipped and run
// end to end on the real stack: the worker runs ansible-playbook against localhost, the alert goes to
// the local webhook receiver (packages/testing/src/notification-sink.ts). With drift: one alert listing
// host, task and diff, the host untouched. Without drift: no alert. With remediate: the approval, then
// the fix applied.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, authHeaders, notificationsReceived, taskRun } from '@baton/testing';
import { requireAnsible } from './ansible-required';

const admin = api();
const NS = 'company.infra';
const blueprint = readFileSync(path.resolve(import.meta.dirname, '../../../../blueprints/ansible-drift-detection.yaml'), 'utf8');
const hookPath = `/slack/drift-${process.pid}-${Date.now()}`;
const dir = path.join(os.tmpdir(), `baton-drift-${process.pid}-${Date.now()}`);
const motd = path.join(dir, 'motd');
const WANTED = 'managed by ansible';
// ansible-playbook needs seconds per run on a busy machine; the waits poll for a state.
const RUN_MS = 240_000;

async function upload(file: string, content: string) {
  const form = new FormData();
  form.append('fileContent', new Blob([content]), file.split('/').pop()!);
  const res = await fetch(`${inject('apiUrl')}/api/v1/main/namespaces/${NS}/files?path=${encodeURIComponent(file)}`, { method: 'POST', body: form, headers: authHeaders() });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function alerts(): Promise<{ text: string }[]> {
  const received = await notificationsReceived(inject('notificationSinkUrl'));
  return received.webhooks.filter((w) => w.path === hookPath).map((w) => w.body as { text: string });
}

beforeAll(async () => {
  requireAnsible();
  mkdirSync(dir, { recursive: true });
  await upload('ansible/inventory.ini', 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  await upload(
    'ansible/site.yml',
    [
      '- name: baseline',
      '  hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: motd',
      '      ansible.builtin.copy:',
      `        dest: ${motd}`,
      `        content: "${WANTED}\\n"`,
      '    - name: ping',
      '      ansible.builtin.ping:',
      '',
    ].join('\n'),
  );
  const secret = await admin.call('PUT', `/api/v1/main/secrets/${NS}/SLACK_WEBHOOK_URL`, { value: `${inject('notificationSinkUrl')}${hookPath}` });
  expect(secret.status, JSON.stringify(secret.body)).toBe(200);
  const deployed = await admin.deploy(blueprint);
  expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('blueprint: ansible drift detection', { timeout: 600_000 }, () => {
  it('with drift: one alert listing host, task and diff; the host is left as it was', async () => {
    writeFileSync(motd, 'hand edited\n');
    const started = await admin.run(NS, 'ansible-drift-detection');
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const execution = await admin.waitFor(started.body.id, ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'], RUN_MS);
    expect(execution.state.current, JSON.stringify(execution.taskRunList.map((t: any) => [t.taskId, t.state.current]))).toBe('SUCCESS');
    expect(taskRun(execution, 'check').outputs).toMatchObject({ changed: true, failed: false });

    const sent = await alerts();
    expect(sent).toHaveLength(1);
    const text = sent[0].text;
    expect(text).toContain(`Configuration drift in ${NS}: 1 change(s) on localhost`);
    expect(text).toContain('host localhost — task motd');
    expect(text).toContain('-hand edited');
    expect(text).toContain(`+${WANTED}`);
    expect(text).toContain(started.body.id);
    expect(text).not.toContain('task ping');
    // Check mode changed nothing; remediation did not run (remediate defaults to false).
    expect(readFileSync(motd, 'utf8')).toBe('hand edited\n');
    expect(execution.taskRunList.map((t: any) => t.taskId)).not.toContain('fix');
  });

  it('without drift: no alert', async () => {
    writeFileSync(motd, `${WANTED}\n`);
    const before = (await alerts()).length;
    const started = await admin.run(NS, 'ansible-drift-detection');
    const execution = await admin.waitFor(started.body.id, ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'], RUN_MS);
    expect(execution.state.current).toBe('SUCCESS');
    expect(taskRun(execution, 'check').outputs.changed).toBe(false);
    const ids = execution.taskRunList.map((t: any) => t.taskId);
    expect(ids).toContain('in_sync');
    expect(ids).not.toContain('alert');
    expect(await alerts()).toHaveLength(before);
  });

  it('with remediate: after the alert, an approver approves and the fix is applied', async () => {
    writeFileSync(motd, 'drifted again\n');
    // Someone other than the requester decides (self-approval is refused by default).
    const email = `drift-approver-${process.pid}@scripts.test`;
    const user = await admin.call('POST', '/api/v1/main/users', { email, password: 'a-long-password' });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    expect((await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role: 'APPROVER', namespace: NS })).status).toBe(201);
    const token = await admin.call('POST', `/api/v1/main/users/${user.body.id}/api-tokens`, { name: 'drift approver' });
    const approver = api({ authorization: `Bearer ${token.body.token}` });

    const before = (await alerts()).length;
    const started = await admin.run(NS, 'ansible-drift-detection', { remediate: true });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await admin.waitFor(started.body.id, ['PAUSED'], RUN_MS);
    expect(await alerts()).toHaveLength(before + 1);
    const view = await approver.call('GET', `/api/v1/main/executions/${started.body.id}/approval`);
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body.request.description).toContain('**localhost** — motd');
    expect(view.body.request.description).toContain('+managed by ansible');
    expect(readFileSync(motd, 'utf8')).toBe('drifted again\n');

    const approved = await approver.call('POST', `/api/v1/main/executions/${started.body.id}/resume?comment=fix%20it`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const execution = await admin.waitFor(started.body.id, ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'], RUN_MS);
    expect(execution.state.current).toBe('SUCCESS');
    expect(taskRun(execution, 'fix').outputs.changed).toBe(true);
    expect(readFileSync(motd, 'utf8')).toBe(`${WANTED}\n`);
  });
});
