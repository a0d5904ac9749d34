// What every VMware task runtime shares: props parsing, the trust store, a logged-in client bound to
// the task's AbortSignal, and the vSphere Task wait that heartbeats and resumes after a worker restart.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { PluginError, formatDuration, isPluginError, parseDuration, remainingMs, waitBudget, z, type TaskContext } from '@baton/plugin-sdk';
import type { ConnectionProps } from './definitions/common';
import { VimClient, type TaskState, type VmInfo } from './vim/client';
import type { MoRef } from './vim/soap';

/** Runs openssl with `input` on stdin (the trust store password: never on a command line). */
function openssl(args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (error) => reject(Object.assign(error, { stderr: `openssl could not be run on the worker (${error.message})` })));
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(Object.assign(new Error(`openssl exited with ${code}`), { stderr }))));
    child.stdin.end(`${input}\n`);
  });
}

/** Parses props with the task's schema (defaults applied even when a caller passes raw values). */
export function readProps<S extends z.ZodType>(schema: S, raw: unknown, taskType: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new PluginError('INVALID_PROPERTIES', `invalid properties for ${taskType}:\n${z.prettifyError(result.error)}`, { retryable: false });
  return result.data;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The CA certificates to trust, as PEM: `trustStore` (PEM text) or the file at `trustStorePath`, a
 * PEM bundle or a PKCS#12 store (Kestra's format; read with the worker's openssl, whose password is
 * handed over on its stdin, never on the command line).
 */
export async function loadTrustStore(props: Pick<ConnectionProps, 'trustStore' | 'trustStorePath' | 'trustStorePassword'>): Promise<string | undefined> {
  if (props.trustStore) {
    const certs = props.trustStore.match(PEM_CERT);
    if (!certs)
      throw new PluginError('INVALID_PROPERTIES', 'trustStore holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)', { retryable: false });
    return certs.join('\n');
  }
  if (!props.trustStorePath) return undefined;
  let raw: Buffer;
  try {
    raw = await fs.readFile(props.trustStorePath);
  } catch (error) {
    throw new PluginError(
      'INVALID_PROPERTIES',
      `trustStorePath ${props.trustStorePath} cannot be read on the worker (${(error as NodeJS.ErrnoException).code}); the file must exist where the task runs`,
      {
        retryable: false,
      },
    );
  }
  const asText = raw.toString('utf8');
  if (asText.includes('-----BEGIN CERTIFICATE-----')) return asText.match(PEM_CERT)!.join('\n');
  const attempt = (extra: string[]) => openssl(['pkcs12', '-in', props.trustStorePath!, '-nokeys', '-passin', 'stdin', ...extra], props.trustStorePassword ?? '');
  let out: string;
  try {
    out = await attempt([]);
  } catch {
    try {
      out = await attempt(['-legacy']);
    } catch (error) {
      const reason = String((error as { stderr?: string }).stderr ?? (error as Error).message)
        .split('\n')
        .find((l) => l.trim());
      throw new PluginError(
        'INVALID_PROPERTIES',
        `trustStorePath ${props.trustStorePath} is neither PEM nor a PKCS#12 store openssl can read with trustStorePassword (${reason})`,
        {
          retryable: false,
        },
      );
    }
  }
  const certs = out.match(PEM_CERT);
  if (!certs) throw new PluginError('INVALID_PROPERTIES', `the PKCS#12 store ${props.trustStorePath} holds no certificate`, { retryable: false });
  return certs.join('\n');
}

/** Logs in for one task and logs out afterwards; a kill aborts the request in flight. */
export async function withClient<T>(ctx: TaskContext<unknown>, props: ConnectionProps, work: (client: VimClient) => Promise<T>): Promise<T> {
  const ca = await loadTrustStore(props);
  if (props.insecure)
    ctx.logger.warn(`insecure: true — the TLS certificate of ${props.server} is NOT verified; anyone on the path can read the password. Use trustStore or trustStorePath instead.`);
  const client = await VimClient.connect({
    server: props.server,
    port: props.port,
    ca,
    insecure: props.insecure,
    signal: ctx.signal,
    username: props.username,
    password: props.password,
  });
  ctx.logger.debug(`logged in to ${client.content.apiType} ${client.content.apiVersion} at ${props.server}:${props.port}`);
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

/** The VM as outputs show it. */
export function vmOutput(info: VmInfo) {
  return { vmName: info.name, vmId: info.moref, uuid: info.uuid ?? '', powerState: info.powerState, template: info.template };
}

/** What a task waiting on a vSphere Task heartbeats: enough for the next attempt to resume the wait. */
export interface TaskHeartbeat {
  op: string;
  vm: string;
  /** The vSphere Task's moref value (e.g. task-123). */
  task: string;
  startedAt: number;
  state?: string;
  progress?: number;
}

/** The vSphere Task the previous attempt started for `op` on `vm` and died waiting for, if any. */
export function resumedTask(ctx: TaskContext<unknown>, op: string, vm: string): TaskHeartbeat | undefined {
  const d = ctx.resumeDetails as Partial<TaskHeartbeat> | undefined;
  if (d && d.op === op && d.vm === vm && typeof d.task === 'string' && typeof d.startedAt === 'number') return d as TaskHeartbeat;
  return undefined;
}

const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 2_000;

/**
 * Runs a vSphere Task to its end: `start` issues it unless the previous attempt of this task run did
 * (then that Task is polled instead), heartbeating its moref, state and progress. Polls at 0.1 s
 * doubling to 2 s, for at most `waitTimeout` (from when it was issued) and the task timeout. A kill
 * ends the wait with CANCELLED (vSphere carries on with the Task).
 */
export async function runVimTask(
  ctx: TaskContext<unknown>,
  client: VimClient,
  op: { op: string; vm: string; label: string; waitTimeout?: string },
  start: () => Promise<MoRef>,
): Promise<TaskState> {
  const resumed = resumedTask(ctx, op.op, op.vm);
  let task: MoRef;
  let startedAt: number;
  if (resumed) {
    task = { type: 'Task', value: resumed.task };
    startedAt = resumed.startedAt;
    ctx.logger.info(`resuming the wait for ${op.label} of '${op.vm}' (${resumed.task}) started by the previous attempt; not asking again`);
  } else {
    startedAt = Date.now();
    task = await start();
    ctx.heartbeat({ op: op.op, vm: op.vm, task: task.value, startedAt, state: 'queued' } satisfies TaskHeartbeat);
    ctx.logger.info(`${op.label} of '${op.vm}' requested (${task.value})`);
  }
  const limitMs = op.waitTimeout ? (parseDuration(op.waitTimeout) ?? 600_000) : 600_000;
  const budget = waitBudget(ctx, Math.max(0, startedAt + limitMs - Date.now()));
  let delay = FIRST_POLL_MS;
  let last: TaskState | undefined;
  try {
    for (;;) {
      const state = await client.taskState(task);
      if (state.state !== last?.state) ctx.logger.info(`${op.label} of '${op.vm}': ${state.state} after ${formatDuration(Date.now() - startedAt)}`);
      last = state;
      if (state.state === 'success') return state;
      if (state.state === 'error') {
        throw new PluginError(
          state.faultType === 'InvalidPowerState' || state.faultType === 'InvalidState' ? 'CONFLICT' : 'REMOTE_ERROR',
          `${op.label} of '${op.vm}' failed in vSphere (${task.value}): ${state.error ?? state.faultType ?? 'no message'}`,
          {
            retryable: false,
            details: { task: task.value, fault: state.faultType },
          },
        );
      }
      ctx.heartbeat({ op: op.op, vm: op.vm, task: task.value, startedAt, state: state.state, progress: state.progress } satisfies TaskHeartbeat);
      const left = remainingMs(budget);
      if (left <= 0) {
        throw new PluginError(
          'TIMEOUT',
          `${op.label} of '${op.vm}' (${task.value}) is still ${state.state} after ${formatDuration(Date.now() - startedAt)} (${budget.reason === 'the task timeout' ? 'the task timeout' : `waitTimeout ${op.waitTimeout ?? 'PT10M'}`}); vSphere carries on with it`,
          {
            retryable: false,
            details: { task: task.value },
          },
        );
      }
      await ctx.sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, MAX_POLL_MS);
    }
  } catch (error) {
    if (isPluginError(error) && error.code === 'CANCELLED') {
      throw new PluginError(
        'CANCELLED',
        `waiting for ${op.label} of '${op.vm}' (${task.value}) was cancelled (last state ${last?.state ?? 'unknown'}); vSphere carries on with the task`,
        {
          retryable: false,
        },
      );
    }
    throw error;
  }
}
