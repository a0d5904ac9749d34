// Properties and outputs every script task shares (Kestra's AbstractExecScript, on a process runner).
// Zod only: the web app reads these for docs, completion and validation.
import { z } from '@baton/plugin-sdk';

/** The task runner Baton has: a process on the worker. Kestra's name for it, and its older one. */
export const PROCESS_RUNNER_TYPES = ['io.kestra.plugin.core.runner.Process', 'io.kestra.plugin.scripts.runner.Process'];

export const taskRunnerSchema = z
  .object({ type: z.string().describe('The runner: io.kestra.plugin.core.runner.Process (the only one Baton has)') })
  .passthrough()
  .superRefine((runner, ctx) => {
    if (PROCESS_RUNNER_TYPES.includes(runner.type)) return;
    const container = /docker|podman|kubernetes|batch|cloudrun|container/i.test(runner.type);
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message: container
        ? `taskRunner ${runner.type} is not available: Baton runs scripts as processes on the worker, without containers. ` +
          `Use "type: io.kestra.plugin.core.runner.Process" (or leave taskRunner out) and install the tools the script needs on the worker, or on a worker group (workerGroup.key) that has them`
        : `unknown taskRunner ${runner.type}; the only runner is io.kestra.plugin.core.runner.Process`,
    });
  })
  .describe('Where the script runs. Baton has one runner, a process on the worker (io.kestra.plugin.core.runner.Process); container runners are refused');

export const namespaceFilesSchema = z
  .object({
    enabled: z.boolean().optional().describe('Copy the namespace files into the working directory (default true when namespaceFiles is set)'),
    include: z.array(z.string()).optional().describe('Globs of the files to copy (all files when absent), e.g. scripts/**'),
    exclude: z.array(z.string()).optional().describe('Globs of the files not to copy'),
    ifExists: z
      .enum(['OVERWRITE', 'FAIL', 'WARN', 'IGNORE'])
      .optional()
      .describe(
        'When an input file has the same path: OVERWRITE (default), FAIL, WARN (keep the input file) or IGNORE. Default OVERWRITE: the namespace file replaces the input file',
      ),
  })
  .describe("Copies the files of the flow's namespace (the Namespace files page) into the working directory before the commands run");

export const inputFilesSchema = z
  .union([z.record(z.string(), z.string()), z.string()])
  .describe(
    'Files to create in the working directory before the commands run: a map of relative path → content, where content is text or a kestra:// URI ' +
      '(an earlier task’s output file, an input of type FILE); or that map as a JSON string',
  );

const envValue = z.union([z.string(), z.number(), z.boolean()]);

/** The properties of every script task (Kestra's names). */
export const scriptCommonProps = {
  beforeCommands: z.array(z.string()).optional().describe('Commands run before the main ones, in the same shell (installing a tool, activating an environment)'),
  interpreter: z.array(z.string()).min(1).optional().describe('The interpreter the commands are given to, the script as its last argument (default ["/bin/sh", "-c"])'),
  env: z
    .record(z.string(), envValue)
    .optional()
    .describe("Environment variables of the process. The worker's own environment is not passed on; PATH is Debian's default unless set here"),
  inputFiles: inputFilesSchema.optional(),
  outputFiles: z
    .array(z.string())
    .optional()
    .describe('Globs of files (relative to the working directory) to upload to internal storage; their kestra:// URIs are in outputs.outputFiles'),
  namespaceFiles: namespaceFilesSchema.optional(),
  warningOnStdErr: z.boolean().optional().describe('End the task WARNING when the process wrote to stderr and exited 0 (default true, as Kestra)'),
  failFast: z.boolean().optional().describe('Stop at the first command that fails (`set -e`; default true). Off, the last command decides the exit code'),
  taskRunner: taskRunnerSchema.optional(),
  containerImage: z.string().optional().describe('Accepted for Kestra compatibility and ignored: the process runner uses the tools installed on the worker'),
  targetOS: z.enum(['LINUX', 'WINDOWS', 'AUTO']).optional().describe('Accepted for Kestra compatibility; Baton workers run Linux'),
};

export const scriptOutputs = z.object({
  exitCode: z.number().describe('The exit code of the process (0: success)'),
  vars: z.record(z.string(), z.unknown()).describe('What the script printed as ::{"outputs":{…}}:: lines, merged'),
  outputFiles: z.record(z.string(), z.string()).describe('Relative path → kestra:// URI of each file matched by outputFiles'),
  stdOutLineCount: z.number().describe('Lines written to stdout'),
  stdErrLineCount: z.number().describe('Lines written to stderr'),
});
