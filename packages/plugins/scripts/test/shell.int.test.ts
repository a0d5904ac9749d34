// Shell tasks on the real stack: the worker's internal storage (an output file of one task as the
// input file of the next, read() of an output file), namespace files uploaded through the API, a secret
// masked in logs and outputs, stderr → WARNING, a kill that terminates the whole process group, and a
// Docker runner refused at save with its line.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { api, authHeaders, taskRun } from '@baton/testing';

const admin = api();
const NS = 'scripts.int';
const SECRET = 'int-secret-7d1e9b';
const dir = path.join(os.tmpdir(), `baton-shell-int-${process.pid}-${Date.now()}`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shell tasks on the worker', { timeout: 300_000 }, () => {
  it('passes files through internal storage, copies namespace files, masks secrets and ends WARNING on stderr', async () => {
    const form = new FormData();
    form.append('fileContent', new Blob(['greet() { echo "hello $1 hosts"; }\n']), 'greet.sh');
    const uploaded = await fetch(`${inject('apiUrl')}/api/v1/main/namespaces/${NS}/files?path=${encodeURIComponent('lib/greet.sh')}`, {
      method: 'POST',
      body: form,
      headers: authHeaders(),
    });
    expect(uploaded.status).toBe(200);
    expect((await admin.call('PUT', `/api/v1/main/secrets/${NS}/SCRIPT_TOKEN`, { value: SECRET })).status).toBe(200);

    const id = await admin.deployAndRun(`id: shell-files
namespace: ${NS}
tasks:
  - id: make
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    outputFiles:
      - "*.txt"
    commands:
      - printf 'web-1\\nweb-2\\n' > hosts.txt
  - id: use
    type: io.kestra.plugin.scripts.shell.Script
    namespaceFiles:
      enabled: true
      include:
        - lib/**
    inputFiles:
      hosts.txt: "{{ outputs.make.outputFiles['hosts.txt'] }}"
    env:
      TOKEN: "{{ secret('SCRIPT_TOKEN') }}"
    outputFiles:
      - out/*.csv
    script: |
      . ./lib/greet.sh
      n=$(wc -l < hosts.txt | tr -d ' ')
      greet "$n"
      echo "token=$TOKEN"
      echo "::{\\"outputs\\":{\\"count\\":$n,\\"token\\":\\"$TOKEN\\"}}::"
      mkdir -p out && echo "web,2" > out/r.csv
      echo "careful" >&2
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.use.vars.count }} {{ read(outputs.use.outputFiles['out/r.csv']) }}"
`);
    const execution = await admin.waitFor(id, undefined, 180_000);
    expect(execution.state.current, JSON.stringify(execution.taskRunList.map((t: any) => [t.taskId, t.state.current]))).toBe('WARNING');
    expect(taskRun(execution, 'make').state.current).toBe('SUCCESS');
    const use = taskRun(execution, 'use');
    expect(use.state.current).toBe('WARNING');
    expect(use.outputs).toMatchObject({ exitCode: 0, vars: { count: 2, token: '******' }, stdErrLineCount: 1 });
    expect(use.outputs.outputFiles['out/r.csv']).toMatch(/^kestra:\/\/\//);
    expect(taskRun(execution, 'after').state.current).toBe('SUCCESS');

    const logs = (await admin.logs(id)).body as { taskId?: string; level: string; message: string }[];
    const of = (task: string) => logs.filter((l) => l.taskId === task).map((l) => [l.level, l.message]);
    expect(of('use')).toContainEqual(['INFO', 'hello 2 hosts']);
    expect(of('use')).toContainEqual(['INFO', 'token=******']);
    expect(of('use')).toContainEqual(['ERROR', 'careful']);
    expect(of('after')).toContainEqual(['INFO', '2 web,2\n']);
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    expect(JSON.stringify(execution)).not.toContain(SECRET);
  });

  it('a kill terminates the whole process group: no child is left behind', async () => {
    mkdirSync(dir, { recursive: true });
    const id = await admin.deployAndRun(`id: shell-kill
namespace: ${NS}
tasks:
  - id: long
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - sleep 600 & echo $! > ${dir}/child
      - (sleep 601 & echo $! > ${dir}/grandchild; wait) &
      - echo $$ > ${dir}/shell
      - sleep 602
`);
    const files = ['child', 'grandchild', 'shell'].map((f) => path.join(dir, f));
    await until(() => files.every((f) => existsSync(f) && readFileSync(f, 'utf8').trim() !== ''), 'the pid files');
    const pids = files.map((f) => Number(readFileSync(f, 'utf8')));
    expect(pids.every(alive)).toBe(true);
    expect((await admin.kill(id)).status).toBeLessThan(300);
    const execution = await admin.waitFor(id, ['KILLED', 'FAILED', 'SUCCESS'], 120_000);
    expect(execution.state.current).toBe('KILLED');
    await until(() => pids.every((p) => !alive(p)), 'every process of the group to end');
    expect(pids.filter(alive)).toEqual([]);
  });

  it('refuses a Docker task runner at save with the line and the fix', async () => {
    const res = await admin.deploy(`id: shell-docker
namespace: ${NS}
tasks:
  - id: build
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.scripts.runner.docker.Docker
    commands:
      - make
`);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('io.kestra.plugin.core.runner.Process');
    expect(JSON.stringify(res.body)).toMatch(/"line":\s*7/);
  });
});
