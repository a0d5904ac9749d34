// What every script task does on the process runner: a working directory with the namespace and
// input files, a shell body given to the interpreter, the output lines read as Kestra reads them,
// the output files uploaded, the directory removed.
import os from 'node:os';
import path from 'node:path';
import { PluginError, type TaskContext } from '@baton/plugin-sdk';
import { parseLine, type ScriptMetric, type Stream } from './output-lines';
import { runProcess } from './run-process';
import { collectOutputFiles, createWorkingDir, inputFilesMap, removeWorkingDir, writeInputFiles, writeNamespaceFiles, type NamespaceFilesOption } from './working-dir';

export interface ScriptProps {
  beforeCommands?: string[];
  interpreter?: string[];
  env?: Record<string, string | number | boolean>;
  inputFiles?: Record<string, string> | string;
  outputFiles?: string[];
  namespaceFiles?: NamespaceFilesOption;
  warningOnStdErr?: boolean;
  failFast?: boolean;
  containerImage?: string;
  targetOS?: 'LINUX' | 'WINDOWS' | 'AUTO';
}

export interface ScriptOutputs {
  exitCode: number;
  vars: Record<string, unknown>;
  outputFiles: Record<string, string>;
  stdOutLineCount: number;
  stdErrLineCount: number;
}

export const DEFAULT_INTERPRETER = ['/bin/sh', '-c'];
/** Debian's default PATH: scripts see the tools installed on the worker, not the worker's own PATH. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);

/** A working directory of one attempt, filled; `close()` removes it. */
export class WorkingDir {
  private constructor(
    readonly dir: string,
    readonly inputNames: ReadonlySet<string>,
  ) {}

  static async open(ctx: TaskContext<ScriptProps>, extraFiles: Record<string, string> = {}): Promise<WorkingDir> {
    if (ctx.props.targetOS === 'WINDOWS') throw new PluginError('INVALID_PROPERTIES', 'targetOS WINDOWS: Baton workers run Linux; remove targetOS or set it to LINUX');
    if (ctx.props.containerImage) ctx.logger.debug(`containerImage ${ctx.props.containerImage} is ignored: the process runner uses the tools installed on the worker`);
    const dir = await createWorkingDir(ctx.taskRun.taskRunId, ctx.taskRun.attempt);
    try {
      const inputs = { ...extraFiles, ...inputFilesMap(ctx.props.inputFiles) };
      const inputNames = new Set(Object.keys(inputs).map((n) => n.replace(/\\/g, '/')));
      await writeInputFiles(dir, inputs, ctx.storage);
      // Then the namespace files; one with the path of an input file follows namespaceFiles.ifExists.
      await writeNamespaceFiles(dir, ctx.props.namespaceFiles, inputNames, ctx.storage, ctx.logger);
      return new WorkingDir(dir, inputNames);
    } catch (error) {
      await removeWorkingDir(dir);
      throw error;
    }
  }

  /** The environment: `env` over a small base (never the worker's own environment). */
  env(props: ScriptProps, extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {
      PATH: DEFAULT_PATH,
      HOME: os.homedir(),
      LANG: 'C.UTF-8',
      WORKING_DIR: this.dir,
      OUTPUT_DIR: this.dir,
      ...extra,
    };
    for (const [key, value] of Object.entries(props.env ?? {})) env[key] = String(value);
    return env;
  }

  async outputFiles(globs: string[], storage: TaskContext<unknown>['storage']): Promise<Record<string, string>> {
    return collectOutputFiles(this.dir, globs, storage);
  }

  close(): Promise<void> {
    return removeWorkingDir(this.dir);
  }
}

export interface ShellRun {
  exitCode: number;
  vars: Record<string, unknown>;
  metrics: ScriptMetric[];
  stdOutLineCount: number;
  stdErrLineCount: number;
  /** The last stderr lines, for the failure message. */
  stderrTail: string[];
}

/** The text handed to the interpreter: `set -e` (failFast, shells only), beforeCommands, the body. */
export function shellBody(props: ScriptProps, body: string[], interpreter: string[]): string {
  const isShell = SHELLS.has(path.basename(interpreter[0] ?? ''));
  const lines = [...(props.beforeCommands ?? []), ...body];
  return (isShell && props.failFast !== false ? ['set -e', ...lines] : lines).join('\n');
}

/** Runs one body in the working directory, logging its lines as they come. */
export async function runShell(
  ctx: TaskContext<ScriptProps>,
  workdir: WorkingDir,
  body: string[],
  options: { env?: Record<string, string>; interpreter?: string[]; onLine?: (line: string, stream: Stream) => void } = {},
): Promise<ShellRun> {
  const interpreter = options.interpreter ?? ctx.props.interpreter ?? DEFAULT_INTERPRETER;
  const run: ShellRun = { exitCode: 0, vars: {}, metrics: [], stdOutLineCount: 0, stdErrLineCount: 0, stderrTail: [] };
  const log = { TRACE: ctx.logger.debug, DEBUG: ctx.logger.debug, INFO: ctx.logger.info, WARN: ctx.logger.warn, ERROR: ctx.logger.error } as const;
  const result = await runProcess({
    command: [...interpreter, shellBody(ctx.props, body, interpreter)],
    cwd: workdir.dir,
    env: options.env ?? workdir.env(ctx.props),
    signal: ctx.signal,
    onLine: (line, stream) => {
      if (stream === 'stdout') run.stdOutLineCount++;
      else {
        run.stdErrLineCount++;
        run.stderrTail.push(line);
        if (run.stderrTail.length > 5) run.stderrTail.shift();
      }
      options.onLine?.(line, stream);
      const parsed = parseLine(line, stream);
      if (parsed.kind === 'values') {
        Object.assign(run.vars, parsed.outputs ?? {});
        run.metrics.push(...(parsed.metrics ?? []));
        if (parsed.metrics?.length) ctx.logger.debug(`metrics: ${parsed.metrics.map((m) => `${m.name}=${m.value}`).join(', ')}`);
      } else if (parsed.kind === 'invalid') {
        ctx.logger.warn(`an ::{…}:: line is not valid JSON (${parsed.error}); it is logged as text`);
        log[stream === 'stderr' ? 'ERROR' : 'INFO'](parsed.message);
      } else log[parsed.level](parsed.message);
    },
  });
  run.exitCode = result.exitCode;
  return run;
}

/** A non-zero exit fails the task (retried only when the flow's `retry` says so). */
export function exitFailure(program: string, run: ShellRun): PluginError {
  const tail = run.stderrTail.length ? `; stderr ended with: ${run.stderrTail.join(' | ').slice(0, 500)}` : '';
  return new PluginError('REMOTE_ERROR', `${program} exited with code ${run.exitCode}${tail}`, { retryable: true, details: { exitCode: run.exitCode } });
}

/** Commands and Script: the whole task. */
export async function runScriptTask(ctx: TaskContext<ScriptProps>, body: string[]): Promise<ScriptOutputs> {
  const workdir = await WorkingDir.open(ctx);
  try {
    const run = await runShell(ctx, workdir, body);
    if (run.exitCode !== 0) throw exitFailure('the script', run);
    const outputFiles = await workdir.outputFiles(ctx.props.outputFiles ?? [], ctx.storage);
    if (run.stdErrLineCount > 0 && ctx.props.warningOnStdErr !== false) {
      ctx.setWarning(`the script wrote ${run.stdErrLineCount} line(s) to stderr (warningOnStdErr; set it to false to end SUCCESS)`);
    }
    return { exitCode: run.exitCode, vars: run.vars, outputFiles, stdOutLineCount: run.stdOutLineCount, stdErrLineCount: run.stdErrLineCount };
  } finally {
    await workdir.close();
  }
}
