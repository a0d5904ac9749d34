// The SSH Command runtime against a real OpenSSH server (packages/testing's ssh-server: Debian's sshd
// on a loopback port with generated keys): outputs, levels, exit codes, host key refusals, errors
// that say what to do, masking of the key, and a kill that ends the remote process group.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK } from '@baton/plugin-sdk';
import { runPluginTask } from '@baton/plugin-sdk/testing';
import { startSshServer, type RunningSshServer } from '@baton/testing/ssh-server';
import { sshCommandRuntime } from '../src/runtime';

let server: RunningSshServer;
beforeAll(async () => {
  server = await startSshServer();
});
afterAll(async () => {
  await server?.stop();
});

const props = (extra: Record<string, unknown> = {}) => ({
  host: server.host,
  port: String(server.port),
  username: server.username,
  authMethod: 'PUBLIC_KEY',
  privateKey: server.privateKey,
  hostKey: server.hostPublicKey,
  ...extra,
});

function remoteProcesses(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('ssh Command against a real sshd', { timeout: 60_000 }, () => {
  it("runs the commands, reads Kestra's ::{outputs}:: lines, logs stdout INFO and stderr ERROR, passes env", async () => {
    const result = await runPluginTask(
      sshCommandRuntime,
      props({
        env: { GREETING: 'hello', COUNT: 3 },
        commands: ['echo "$GREETING from $(whoami)"', 'echo "::{\\"outputs\\":{\\"count\\":$COUNT,\\"name\\":\\"web\\"}}::"', 'echo oops >&2', 'echo "WARN: low disk" >&2'],
      }),
    );
    expect(result.error, server.log()).toBeUndefined();
    expect(result.outputs).toEqual({ exitCode: 0, vars: { count: 3, name: 'web' }, stdOutLineCount: 2, stdErrLineCount: 2 });
    const lines = result.logs.map((l) => [l.level, l.message]);
    expect(lines).toContainEqual(['INFO', `hello from ${server.username}`]);
    expect(lines).toContainEqual(['ERROR', 'oops']);
    expect(lines).toContainEqual(['WARN', 'WARN: low disk']);
    // The process-group line Baton prepends is read, not logged.
    expect(JSON.stringify(lines)).not.toContain('baton-ssh-pgid');
    expect(result.warnings).toEqual([]);
    expect(result.heartbeats).toBeGreaterThan(0);
  });

  it('warningOnStdErr: true ends WARNING when stderr was written and the exit code is 0', async () => {
    const result = await runPluginTask(sshCommandRuntime, props({ warningOnStdErr: true, commands: ['echo careful >&2'] }));
    expect(result.error).toBeUndefined();
    expect(result.warnings[0]).toMatch(/1 line\(s\) to stderr/);
  });

  it('fails on a non-zero exit code with the code and the last stderr lines', async () => {
    const result = await runPluginTask(sshCommandRuntime, props({ commands: ['echo before', 'echo "disk full" >&2', 'exit 3'] }));
    expect(result.error?.code).toBe('REMOTE_ERROR');
    expect(result.error?.message).toMatch(/exited with code 3; stderr ended with: disk full/);
    expect(result.error?.details).toEqual({ exitCode: 3 });
  });

  it('knownHosts lines are accepted, a fingerprint too', async () => {
    const fp = execFileSync('ssh-keygen', ['-lf', '-'], { input: server.hostPublicKey, encoding: 'utf8' }).split(' ')[1];
    expect((await runPluginTask(sshCommandRuntime, props({ hostKey: undefined, knownHosts: server.knownHostsLine, commands: ['true'] }))).error).toBeUndefined();
    expect((await runPluginTask(sshCommandRuntime, props({ hostKey: fp, commands: ['true'] }))).error).toBeUndefined();
  });

  it('refuses a host key that does not match, with the fingerprint seen and how to pin it', async () => {
    const wrong = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMKdqj49Thv28PqcRx7KsFu7txFwPujshsA16KkoWk4C';
    const result = await runPluginTask(sshCommandRuntime, props({ hostKey: wrong, commands: ['touch /tmp/should-not-run'] }));
    expect(result.error?.code).toBe('PERMISSION_DENIED');
    const fp = execFileSync('ssh-keygen', ['-lf', '-'], { input: server.hostPublicKey, encoding: 'utf8' }).split(' ')[1];
    expect(result.error?.message).toContain('HOST KEY MISMATCH');
    expect(result.error?.message).toContain(fp);
    expect(result.error?.message).toContain(`hostKey: "${fp}"`);
  });

  it('refuses an unverified host by default; strictHostKeyChecking "no" connects with a loud warning', async () => {
    const unpinned = await runPluginTask(sshCommandRuntime, props({ hostKey: undefined, commands: ['true'] }));
    expect(unpinned.error?.code).toBe('INVALID_PROPERTIES');
    expect(unpinned.error?.message).toMatch(/not verified: no hostKey and no knownHosts.*SHA256:/);
    const unchecked = await runPluginTask(sshCommandRuntime, props({ hostKey: undefined, strictHostKeyChecking: 'no', commands: ['true'] }));
    expect(unchecked.error).toBeUndefined();
    expect(unchecked.logs.find((l) => l.level === 'WARN')?.message).toMatch(/HOST KEY NOT VERIFIED/);
  });

  it('says the login was refused for a key that is not authorised, and masks the key everywhere', async () => {
    const key = server.unauthorizedPrivateKey;
    const keyLine = key.split('\n')[1];
    const result = await runPluginTask(sshCommandRuntime, props({ privateKey: key, commands: [`echo "${keyLine}"`] }), { secrets: [key] });
    expect(result.error?.code).toBe('AUTHENTICATION');
    expect(result.error?.message).toMatch(/refused the login of .* by private key.*authorized_keys/);
    // A line of the key (the render would have masked the whole secret only) is masked on its own.
    expect(result.masker.maskText(`x ${keyLine} y`)).toBe(`x ${MASK} y`);
  });

  it('masks a line of the key that the remote command prints', async () => {
    const keyLine = server.privateKey.split('\n')[1];
    const result = await runPluginTask(sshCommandRuntime, props({ commands: [`echo "key: ${keyLine}"`] }), { secrets: [server.privateKey] });
    expect(result.error).toBeUndefined();
    const logged = result.logs.map((l) => result.masker.maskText(l.message));
    expect(logged).toContain(`key: ${MASK}`);
  });

  it('connection refused and DNS failures say what to check', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const refused = await runPluginTask(sshCommandRuntime, props({ port: closed, commands: ['true'] }));
    expect(refused.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(refused.error?.message).toMatch(/connection refused by 127\.0\.0\.1:\d+: no SSH server listens there/);
    const dns = await runPluginTask(sshCommandRuntime, props({ host: 'no-such-host.invalid', commands: ['true'] }));
    expect(dns.error?.message).toMatch(/host name no-such-host\.invalid could not be resolved/);
  });

  it('a kill terminates the remote process group (SIGTERM) and closes the connection', async () => {
    const marker = `${process.pid}${Date.now() % 100000}`;
    const controller = new AbortController();
    const run = runPluginTask(sshCommandRuntime, props({ commands: [`sleep 6${marker} &`, `sleep 7${marker}`] }), { signal: controller.signal });
    await until(() => remoteProcesses(`sleep 6${marker}`).length > 0 && remoteProcesses(`sleep 7${marker}`).length > 0, 'the remote sleeps');
    controller.abort();
    const result = await run;
    expect(result.error?.code).toBe('CANCELLED');
    expect(result.error?.message).toMatch(/terminated \(SIGTERM to process group \d+\)/);
    await until(() => remoteProcesses(`sleep [67]${marker}`).length === 0, 'the remote processes to end');
    expect(remoteProcesses(`sleep [67]${marker}`)).toEqual([]);
  });
});
