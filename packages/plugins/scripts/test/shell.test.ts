// shell.Commands and shell.Script against real processes (/bin/sh on this machine).
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MASK } from '@baton/plugin-sdk';
import { runPluginTask } from '@baton/plugin-sdk/testing';
import { globToRegExp } from '../src/process/glob';
import { parseLine } from '../src/process/output-lines';
import { shellCommandsRuntime, shellScriptRuntime } from '../src/runtime';
import { TestStorage } from './storage';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls (no fixed sleep) until the check holds; fails after many tries. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('output lines', () => {
  it("reads Kestra's ::{…}:: lines and the level a line names", () => {
    expect(parseLine('::{"outputs":{"a":1,"b":"x"}}::', 'stdout')).toEqual({ kind: 'values', outputs: { a: 1, b: 'x' }, metrics: undefined });
    expect(parseLine('::{"metrics":[{"name":"rows","type":"counter","value":3}]}::', 'stdout')).toMatchObject({ kind: 'values', metrics: [{ name: 'rows', value: 3 }] });
    expect(parseLine('::{"outputs":}::', 'stdout')).toMatchObject({ kind: 'invalid' });
    expect(parseLine('hello', 'stdout')).toEqual({ kind: 'log', level: 'INFO', message: 'hello' });
    expect(parseLine('hello', 'stderr')).toEqual({ kind: 'log', level: 'ERROR', message: 'hello' });
    expect(parseLine('WARNING: disk at 80%', 'stderr')).toMatchObject({ level: 'WARN' });
    expect(parseLine('[debug] cache hit', 'stdout')).toMatchObject({ level: 'DEBUG' });
    expect(parseLine('level=error msg=boom', 'stdout')).toMatchObject({ level: 'ERROR' });
    expect(parseLine('no errors found', 'stdout')).toMatchObject({ level: 'INFO' });
  });

  it('matches globs as Kestra does (segments, **, braces)', () => {
    expect(globToRegExp('*.csv').test('a.csv')).toBe(true);
    expect(globToRegExp('*.csv').test('dir/a.csv')).toBe(false);
    expect(globToRegExp('**/*.csv').test('a.csv')).toBe(true);
    expect(globToRegExp('**/*.csv').test('x/y/a.csv')).toBe(true);
    expect(globToRegExp('out/**').test('out/x/y.txt')).toBe(true);
    expect(globToRegExp('*.{json,yaml}').test('a.yaml')).toBe(true);
    expect(globToRegExp('report?.txt').test('report1.txt')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('shell.Commands', () => {
  it('runs the commands, sets vars from ::{"outputs"}:: lines and logs stdout INFO, stderr ERROR', async () => {
    const result = await runPluginTask(shellCommandsRuntime, {
      commands: ['echo hello', 'echo "::{\\"outputs\\":{\\"count\\":3,\\"name\\":\\"web\\"}}::"', 'echo oops >&2', 'echo "WARN: low disk" >&2'],
    });
    expect(result.error).toBeUndefined();
    expect(result.outputs).toMatchObject({ exitCode: 0, vars: { count: 3, name: 'web' }, stdOutLineCount: 2, stdErrLineCount: 2 });
    const lines = result.logs.map((l) => [l.level, l.message]);
    expect(lines).toContainEqual(['INFO', 'hello']);
    expect(lines).toContainEqual(['ERROR', 'oops']);
    expect(lines).toContainEqual(['WARN', 'WARN: low disk']);
    expect(lines.some(([, m]) => m.includes('::{'))).toBe(false);
    // stderr output with exit 0: WARNING, as Kestra's warningOnStdErr (default true).
    expect(result.warnings).toHaveLength(1);
  });

  it('ends SUCCESS despite stderr when warningOnStdErr is false', async () => {
    const result = await runPluginTask(shellCommandsRuntime, { commands: ['echo progress >&2'], warningOnStdErr: false });
    expect(result.error).toBeUndefined();
    expect(result.warnings).toEqual([]);
  });

  it('fails on a non-zero exit code, at the first failing command unless failFast is false', async () => {
    const failed = await runPluginTask(shellCommandsRuntime, { commands: ['echo first', 'echo broken >&2; exit 3', 'echo never'] });
    expect(failed.error?.message).toContain('exited with code 3');
    expect(failed.error?.message).toContain('broken');
    expect(failed.error?.details).toEqual({ exitCode: 3 });
    expect(failed.logs.map((l) => l.message)).not.toContain('never');

    const lenient = await runPluginTask(shellCommandsRuntime, { commands: ['false', 'echo still here'], failFast: false });
    expect(lenient.error).toBeUndefined();
    expect(lenient.logs.map((l) => l.message)).toContain('still here');
  });

  it('runs beforeCommands first and honours interpreter', async () => {
    const result = await runPluginTask(shellCommandsRuntime, {
      beforeCommands: ['export GREETING=hi'],
      interpreter: ['/bin/bash', '-c'],
      commands: ['echo "$GREETING from ${BASH_VERSION%%.*}"'],
    });
    expect(result.error).toBeUndefined();
    expect(result.logs.map((l) => l.message)[0]).toMatch(/^hi from \d+$/);
  });

  it("passes env but never the worker's own environment", async () => {
    process.env.BATON_TEST_WORKER_ONLY = 'leak';
    try {
      const result = await runPluginTask(shellCommandsRuntime, {
        env: { REGION: 'eu-west', REPLICAS: 3 },
        commands: ['echo "region=$REGION replicas=$REPLICAS leak=${BATON_TEST_WORKER_ONLY:-none} wd=$([ "$WORKING_DIR" = "$(pwd)" ] && echo yes)"'],
      });
      expect(result.logs.map((l) => l.message)).toContain('region=eu-west replicas=3 leak=none wd=yes');
    } finally {
      delete process.env.BATON_TEST_WORKER_ONLY;
    }
  });

  it('writes input files (text and kestra:// URIs) and uploads the output files its globs match', async () => {
    const storage = new TestStorage();
    const { uri } = await storage.put('hosts.txt', Buffer.from('web-1\nweb-2\n'));
    const result = await runPluginTask(
      shellCommandsRuntime,
      {
        inputFiles: { 'conf/app.ini': 'mode=fast\n', 'hosts.txt': uri },
        outputFiles: ['*.csv', 'out/**'],
        commands: ['cat conf/app.ini', 'wc -l < hosts.txt | tr -d " "', 'echo a,b > report.csv', 'mkdir -p out/x && echo deep > out/x/deep.txt', 'echo skip > note.txt'],
      },
      { storage },
    );
    expect(result.error).toBeUndefined();
    expect(result.logs.map((l) => l.message)).toEqual(['mode=fast', '2']);
    const files = result.outputs.outputFiles as Record<string, string>;
    expect(Object.keys(files).sort()).toEqual(['out/x/deep.txt', 'report.csv']);
    expect((await storage.get(files['report.csv'])).toString()).toBe('a,b\n');
    expect((await storage.get(files['out/x/deep.txt'])).toString()).toBe('deep\n');
  });

  it('refuses input files outside the working directory', async () => {
    for (const name of ['../escape.txt', '/etc/passwd-copy']) {
      const result = await runPluginTask(shellCommandsRuntime, { inputFiles: { [name]: 'x' }, commands: ['true'] });
      expect(result.error?.code).toBe('INVALID_PROPERTIES');
      expect(result.error?.message).toContain('relative path');
    }
  });

  it('copies namespace files by include/exclude, and ifExists decides against an input file', async () => {
    const storage = new TestStorage();
    storage.addNamespaceFile('scripts/check.sh', 'echo checked from ns');
    storage.addNamespaceFile('scripts/old.sh', 'echo old');
    storage.addNamespaceFile('readme.md', 'doc');
    storage.addNamespaceFile('app.conf', 'from namespace\n');
    const result = await runPluginTask(
      shellScriptRuntime,
      {
        namespaceFiles: { enabled: true, include: ['scripts/**', 'app.conf'], exclude: ['**/old.sh'], ifExists: 'IGNORE' },
        inputFiles: { 'app.conf': 'from inputs\n' },
        script: 'sh scripts/check.sh\ncat app.conf\nls scripts\n[ -e readme.md ] || echo "no readme"',
      },
      { storage },
    );
    expect(result.error).toBeUndefined();
    expect(result.logs.map((l) => l.message)).toEqual(['checked from ns', 'from inputs', 'check.sh', 'no readme']);

    const failing = await runPluginTask(shellScriptRuntime, { namespaceFiles: { ifExists: 'FAIL' }, inputFiles: { 'app.conf': 'x' }, script: 'true' }, { storage });
    expect(failing.error?.message).toContain('app.conf');
  });

  it('masks secrets in log lines and in outputs', async () => {
    const secret = 'tok-3f9a8c7e';
    const result = await runPluginTask(
      shellCommandsRuntime,
      { env: { TOKEN: secret }, commands: ['echo "token is $TOKEN"', 'echo "::{\\"outputs\\":{\\"t\\":\\"$TOKEN\\"}}::"'] },
      { secrets: [secret] },
    );
    expect(result.logs.map((l) => l.message)).toContain(`token is ${MASK}`);
    expect(JSON.stringify(result.logs)).not.toContain(secret);
    // Outputs are masked by the worker after the task returns (runTask); the masker knows the value.
    expect(result.masker.mask(result.outputs)).toMatchObject({ vars: { t: MASK } });
  });

  it('terminates the whole process group on a kill: no child is left behind', async () => {
    const dir = path.join(os.tmpdir(), `baton-kill-${process.pid}-${Date.now()}`);
    const controller = new AbortController();
    const running = runPluginTask(
      shellCommandsRuntime,
      {
        commands: [
          `mkdir -p ${dir}`,
          // A background child, a grandchild through a subshell, and a foreground sleep.
          `sleep 300 & echo $! > ${dir}/child`,
          `(sleep 301 & echo $! > ${dir}/grandchild; wait) &`,
          `echo $$ > ${dir}/shell`,
          'sleep 302',
        ],
      },
      { signal: controller.signal },
    );
    await until(() => ['child', 'grandchild', 'shell'].every((f) => existsSync(path.join(dir, f)) && readFileSync(path.join(dir, f), 'utf8').trim() !== ''), 'the pid files');
    const pids = ['child', 'grandchild', 'shell'].map((f) => Number(readFileSync(path.join(dir, f), 'utf8')));
    expect(pids.every(alive)).toBe(true);
    controller.abort();
    const result = await running;
    expect(result.error?.code).toBe('CANCELLED');
    await until(() => pids.every((p) => !alive(p)), 'every process of the group to end');
    expect(pids.filter(alive)).toEqual([]);
  });

  it('kills what a script left running in the background when it exits, and removes its working directory', async () => {
    const dir = path.join(os.tmpdir(), `baton-leftover-${process.pid}-${Date.now()}`);
    const result = await runPluginTask(shellCommandsRuntime, { commands: [`mkdir -p ${dir}`, `sleep 300 & echo $! > ${dir}/child`, 'pwd'] });
    expect(result.error).toBeUndefined();
    const pid = Number(readFileSync(path.join(dir, 'child'), 'utf8'));
    await until(() => !alive(pid), 'the background child to end');
    const workingDir = result.logs.find((l) => l.message.includes('baton-scripts'))!.message;
    expect(existsSync(workingDir)).toBe(false);
    expect((await readdir(path.dirname(workingDir))).some((d) => workingDir.endsWith(d))).toBe(false);
  });

  it('says which program is missing', async () => {
    const result = await runPluginTask(shellCommandsRuntime, { interpreter: ['/no/such/shell', '-c'], commands: ['true'] });
    expect(result.error?.message).toContain('/no/such/shell was not found on the worker');
  });
});
