// The SSH Command task through the real stack (API → Temporal → worker → a real sshd started here):
// outputs passed to a later task, the private key from a secret masked in logs and outputs, a
// non-zero exit failing the execution, a host key mismatch refused, and a kill during a long remote
// `sleep` that leaves no remote process behind (checked with pgrep: the sshd runs on this machine).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, taskRun } from '@baton/testing';
import { startSshServer, type RunningSshServer } from '@baton/testing/ssh-server';

const admin = api();
const NS = 'ssh.int';
let server: RunningSshServer;

beforeAll(async () => {
  server = await startSshServer();
  expect((await admin.call('PUT', `/api/v1/main/secrets/${NS}/SSH_KEY`, { value: server.privateKey })).status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
});

function remoteProcesses(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const task = (id: string, commands: string[], extra = '') => `  - id: ${id}
    type: io.kestra.plugin.fs.ssh.Command
    host: ${server.host}
    port: "${server.port}"
    authMethod: PUBLIC_KEY
    username: ${server.username}
    privateKey: "{{ secret('SSH_KEY') }}"
${extra}    commands:
${commands.map((c) => `      - ${JSON.stringify(c)}`).join('\n')}
`;

describe('SSH Command on the worker against a real sshd', { timeout: 300_000 }, () => {
  it('runs commands with a key from a secret: outputs to the next task, stderr ERROR, the key masked', async () => {
    const keyLine = server.privateKey.split('\n')[1];
    const id = await admin.deployAndRun(`id: ssh-outputs
namespace: ${NS}
tasks:
${task('remote', ['echo "hello from $(whoami)"', 'echo "::{\\"outputs\\":{\\"n\\":42}}::"', 'echo "warned" >&2', `echo "leak ${keyLine}"`], `    hostKey: "${server.hostPublicKey}"\n`)}  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "n={{ outputs.remote.vars.n }} exit={{ outputs.remote.exitCode }}"
`);
    const execution = await admin.waitFor(id, undefined, 180_000);
    expect(execution.state.current, `${JSON.stringify(execution.taskRunList.map((t: any) => [t.taskId, t.state.current]))}\n${server.log()}`).toBe('SUCCESS');
    expect(taskRun(execution, 'remote').outputs).toMatchObject({ exitCode: 0, vars: { n: 42 }, stdOutLineCount: 3, stdErrLineCount: 1 });
    const logs = (await admin.logs(id)).body as { taskId?: string; level: string; message: string }[];
    const of = (t: string) => logs.filter((l) => l.taskId === t).map((l) => [l.level, l.message]);
    expect(of('remote')).toContainEqual(['INFO', `hello from ${server.username}`]);
    expect(of('remote')).toContainEqual(['ERROR', 'warned']);
    expect(of('remote')).toContainEqual(['INFO', 'leak ******']);
    expect(of('after')).toContainEqual(['INFO', 'n=42 exit=0']);
    expect(JSON.stringify(logs)).not.toContain(keyLine);
    expect(JSON.stringify(execution)).not.toContain(keyLine);
  });

  it('a non-zero exit code fails the execution with the code and stderr', async () => {
    const id = await admin.deployAndRun(`id: ssh-exit
namespace: ${NS}
tasks:
${task('remote', ['echo "no space left" >&2', 'exit 7'], `    knownHosts: "${server.knownHostsLine}"\n`)}`);
    const execution = await admin.waitFor(id, undefined, 180_000);
    expect(execution.state.current).toBe('FAILED');
    const logs = (await admin.logs(id)).body as { taskId?: string; level: string; message: string }[];
    expect(
      logs.some((l) => l.taskId === 'remote' && /exited with code 7; stderr ended with: no space left/.test(l.message)),
      JSON.stringify(logs.slice(-5)),
    ).toBe(true);
  });

  it('refuses a host key that does not match, saying the fingerprint seen', async () => {
    const fp = execFileSync('ssh-keygen', ['-lf', '-'], { input: server.hostPublicKey, encoding: 'utf8' }).split(' ')[1];
    const id = await admin.deployAndRun(`id: ssh-mismatch
namespace: ${NS}
tasks:
${task('remote', ['touch /tmp/ssh-int-should-not-run'], '    hostKey: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"\n')}`);
    const execution = await admin.waitFor(id, undefined, 180_000);
    expect(execution.state.current).toBe('FAILED');
    const logs = (await admin.logs(id)).body as { taskId?: string; level: string; message: string }[];
    const error = logs.find((l) => l.taskId === 'remote' && l.message.includes('HOST KEY MISMATCH'));
    expect(error?.message, JSON.stringify(logs.slice(-5))).toContain(fp);
  });

  it('a kill during a long remote sleep terminates it: no remote process is left', async () => {
    const marker = `${process.pid}${Date.now() % 100000}`;
    const id = await admin.deployAndRun(`id: ssh-kill
namespace: ${NS}
tasks:
${task('remote', [`sleep 6${marker} &`, `sleep 7${marker}`], `    hostKey: "${server.hostPublicKey}"\n`)}`);
    await until(() => remoteProcesses(`sleep 6${marker}`).length > 0 && remoteProcesses(`sleep 7${marker}`).length > 0, 'the remote sleeps to start');
    expect((await admin.kill(id)).status).toBeLessThan(300);
    const execution = await admin.waitFor(id, ['KILLED', 'FAILED', 'SUCCESS'], 120_000);
    expect(execution.state.current).toBe('KILLED');
    await until(() => remoteProcesses(`sleep [67]${marker}`).length === 0, 'the remote processes to end');
    expect(remoteProcesses(`sleep [67]${marker}`)).toEqual([]);
  });
});
