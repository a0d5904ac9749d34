// AnsibleCLI's runtime: each command runs on its own in one working directory, with Baton's callback
// plugin enabled; the results of all commands are merged into the outputs.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineRuntime, PluginError, type TaskContext } from '@baton/plugin-sdk';
import { ansibleCli } from '../definitions/ansible';
import { exitFailure, runShell, WorkingDir, type ScriptProps } from '../process/script-run';
import { CALLBACK_NAME, CALLBACK_SOURCE } from './callback-plugin';

interface HostSummary {
  ok: number;
  changed: number;
  failures: number;
  unreachable: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

interface CallbackFile {
  plays: unknown[];
  results: HostResult[];
  hosts: Record<string, HostSummary>;
}

interface HostResult {
  play: string;
  task: string;
  action: string;
  host: string;
  status: 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped';
  changed: boolean;
  failed: boolean;
  unreachable: boolean;
  skipped: boolean;
  diff?: string;
  msg?: string;
}

export const DEFAULT_ANSIBLE_CONFIG = `[defaults]
retry_files_enabled = False
host_key_checking = False
log_path = ./log
`;

/** Where Baton's own files go in the working directory (excluded from outputFiles). */
const BATON_DIR = '.baton';

export const ansibleCliRuntime = defineRuntime(ansibleCli, async (ctx) => {
  const props = ctx.props;
  const inputs = typeof props.inputFiles === 'object' ? props.inputFiles : undefined;
  const hasConfig = Object.keys(inputs ?? {}).includes('ansible.cfg');
  const workdir = await WorkingDir.open(ctx as TaskContext<ScriptProps>, hasConfig ? {} : { 'ansible.cfg': props.ansibleConfig ?? DEFAULT_ANSIBLE_CONFIG });
  try {
    const own = path.join(workdir.dir, BATON_DIR);
    await mkdir(path.join(own, 'callback_plugins'), { recursive: true });
    await writeFile(path.join(own, 'callback_plugins', `${CALLBACK_NAME}.py`), CALLBACK_SOURCE);

    const merged: CallbackFile = { plays: [], results: [], hosts: {} };
    const playbooks: unknown[] = [];
    const vars: Record<string, unknown> = {};
    let stdOutLineCount = 0;
    let stdErrLineCount = 0;
    for (const [index, command] of props.commands.entries()) {
      const resultsFile = path.join(own, `results-${index}.json`);
      const userCallbacks = props.env?.ANSIBLE_CALLBACKS_ENABLED;
      const env = workdir.env(ctx.props as ScriptProps, { ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0', ANSIBLE_LOCAL_TEMP: path.join(own, 'tmp') });
      Object.assign(env, {
        ANSIBLE_CALLBACK_PLUGINS: path.join(own, 'callback_plugins'),
        ANSIBLE_CALLBACKS_ENABLED: userCallbacks ? `${String(userCallbacks)},${CALLBACK_NAME}` : CALLBACK_NAME,
        BATON_ANSIBLE_RESULTS: resultsFile,
      });
      // beforeCommands run once, before the first command (as Kestra).
      const run = await runShell({ ...ctx, props: { ...props, beforeCommands: index === 0 ? props.beforeCommands : [] } } as TaskContext<ScriptProps>, workdir, [command], {
        env,
        interpreter: props.interpreter ?? ['/bin/bash', '-c'],
      });
      stdOutLineCount += run.stdOutLineCount;
      stdErrLineCount += run.stdErrLineCount;
      Object.assign(vars, run.vars);
      const file = await readResults(resultsFile);
      if (file) {
        merged.results.push(...file.results);
        for (const [host, summary] of Object.entries(file.hosts)) merged.hosts[host] = add(merged.hosts[host], summary);
        playbooks.push({ plays: file.plays });
      }
      if (run.exitCode !== 0) {
        const failed = (file?.results ?? []).filter((r) => r.failed || r.unreachable);
        const which = failed.length
          ? `; ${failed.map((r) => `${r.host} ${r.unreachable ? 'unreachable' : 'failed'} at "${r.task}"${r.msg ? `: ${r.msg.slice(0, 200)}` : ''}`).join('; ')}`
          : '';
        const error = exitFailure(command.split(/\s+/)[0] || 'ansible', run);
        throw new PluginError(error.code, `${error.message}${which}`, { retryable: true, details: { exitCode: run.exitCode } });
      }
    }
    await rm(own, { recursive: true, force: true });
    const outputFiles = await workdir.outputFiles([...(props.outputFiles ?? []), ...(props.outputLogFile ? ['log'] : [])], ctx.storage);
    if (props.outputLogFile && !outputFiles.log) ctx.logger.warn('outputLogFile: Ansible wrote no log file (an ansible.cfg of yours without log_path?)');
    // Ansible writes its warnings to stderr, so warningOnStdErr is off unless the flow turns it on.
    if (props.warningOnStdErr === true && stdErrLineCount > 0) ctx.setWarning(`ansible wrote ${stdErrLineCount} line(s) to stderr (warningOnStdErr)`);
    const changed = merged.results.some((r) => r.changed);
    // From the recap: a failure the playbook ignored (ignore_errors) is listed in results with
    // failed: true, but the recap counts it as ignored and the run did not fail for it.
    const failed = Object.values(merged.hosts).some((h) => h.failures > 0 || h.unreachable > 0);
    return {
      exitCode: 0,
      vars: { ...vars, playbooks },
      outputFiles,
      stdOutLineCount,
      stdErrLineCount,
      results: merged.results,
      hosts: merged.hosts,
      changed,
      failed,
      playbooks,
    };
  } finally {
    await workdir.close();
  }
});

async function readResults(file: string): Promise<CallbackFile | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as CallbackFile;
  } catch {
    // No file: ansible stopped before the recap (a syntax error, a missing inventory), or the
    // command was not a playbook run; its output is in the logs.
    return undefined;
  }
}

function add(a: HostSummary | undefined, b: HostSummary): HostSummary {
  if (!a) return { ...b };
  return {
    ok: a.ok + b.ok,
    changed: a.changed + b.changed,
    failures: a.failures + b.failures,
    unreachable: a.unreachable + b.unreachable,
    skipped: a.skipped + b.skipped,
    rescued: a.rescued + b.rescued,
    ignored: a.ignored + b.ignored,
  };
}
