import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '@baton/db';
import {
  decryptOutputs,
  encryptOutput,
  kestraCryptoFunctions,
  MintError,
  projectExecutionState,
  transitionExecution,
  type CredentialTokens,
  type ExecutionFiles,
  type ExecutionSummaries,
  type Keyring,
  type KvStore,
  type RunTaskInput,
  type RunTaskResult,
  type SecretStore,
} from '@baton/engine';
import { expressions } from '@baton/flow';
import { createTaskContext, isPluginError, parseProps, SecretMasker, type LogEntry, type PluginRegistry, type PluginRuntime, type StorageAccess } from '@baton/plugin-sdk';
import { z } from 'zod';
import { AttemptCredentials } from './attempt-credentials';
import { fetchErrorLogs } from './error-logs';
import { FileFunctions } from './file-functions';
import type { JqRunner } from './jq-runner';
import { LogWriter } from './log-writer';
import { recordAttempt } from './task-run-writer';

export interface RunTaskDeps {
  db: Db;
  registry: PluginRegistry;
  runtimes: Map<string, PluginRuntime>;
  secrets: SecretStore;
  /** The worker's credential minting cache (tokens in this process's memory only). */
  credentials: CredentialTokens;
  kv: KvStore;
  /** The real jq; without it the `jq` filter runs Baton's bounded subset. */
  jq?: JqRunner;
  /** Internal storage: ctx.storage of tasks, and read() / fileSize() in expressions. */
  files?: ExecutionFiles;
  /** Encrypts task outputs (ctx.encrypt) and decrypts them for later tasks; without it, both fail. */
  keyring?: Keyring;
  /** Execution summaries for notification tasks (ctx.executions); without it, they fail saying so. */
  summaries?: ExecutionSummaries;
  /** After the activity ended an execution (endExecutionOnSuccess): Flow triggers are evaluated for it. */
  onExecutionEnd?: (executionId: string) => Promise<void>;
  /**
   * Kill notices (PostgreSQL's `baton_execution_kills` channel, docs/kill-switch.md): a task whose
   * execution is being killed is aborted at once, not at its next heartbeat. Without it, only
   * Temporal's cancel aborts a task.
   */
  kills?: KillNotices;
}

/** Subscribes to the kill notices of one execution; returns the unsubscribe. */
export interface KillNotices {
  subscribe(executionId: string, listener: () => void): () => void;
}

/** How long a task aborted by a kill notice waits for Temporal's cancel (it comes with a heartbeat's answer). */
const KILL_CANCEL_WAIT_MS = 30_000;

/** Whether the execution is being killed (a notice is checked: the listener also calls while its connection is down). */
async function isBeingKilled(db: Db, executionId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ state: string }[]>`SELECT state FROM executions WHERE id = ${executionId}`;
  return rows[0]?.state === 'KILLING' || rows[0]?.state === 'KILLED';
}

/** Resolves when `signal` aborts or after `ms`, whichever is first. */
function abortedOrAfter(signal: AbortSignal, ms: number): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * The RUNNING write is delayed a little: a task that ends sooner (most quick API calls) is
 * recorded by its final write alone, with RUNNING kept in its history. That halves the writes
 * of short tasks; nobody can see a 20 ms RUNNING state anyway.
 */
const RUNNING_WRITE_DELAY_MS = 20;

class DeferredRunningWrite {
  private written?: Promise<void>;
  private readonly timer: NodeJS.Timeout;

  constructor(write: () => Promise<void>) {
    this.timer = setTimeout(() => {
      this.written = write();
      this.written.catch(() => {});
    }, RUNNING_WRITE_DELAY_MS);
  }

  /** Cancels the write if it has not started; otherwise waits for it. True when it was written. */
  async settle(): Promise<boolean> {
    clearTimeout(this.timer);
    if (!this.written) return false;
    await this.written;
    return true;
  }
}

/** The shortest string the SecretMasker masks (shorter ones would mask common text). */
const MIN_MASKABLE_LENGTH = 4;

/** How often the activity heartbeats on its own, so a kill reaches it within about a second. */
const HEARTBEAT_MS = 300;

/**
 * Runs one runnable task: renders its properties (secrets resolved here and only here), validates
 * them, runs the plugin, and records the attempt, logs and masked outputs in PostgreSQL.
 * Whatever it returns goes into Temporal history, so it returns masked outputs only.
 */
export function createRunTask(deps: RunTaskDeps) {
  return async function runTask(input: RunTaskInput): Promise<RunTaskResult> {
    const activity = Context.current();
    const attempt = activity.info.attempt;
    const startedAt = new Date();
    const masker = new SecretMasker();
    // SECRET inputs (and strings the workflow derived from them) are masked like secret() values.
    for (const value of input.secretValues ?? []) masker.add(value);
    const logs = new LogWriter(deps.db, input, attempt, masker);
    // The execution's `start` rides on the first task (see Lifecycle.takeRunningPending).
    const executionMarked = input.markExecutionRunning ? transitionExecution(deps.db, input.executionId, 'start', { at: startedAt.toISOString() }) : undefined;
    executionMarked?.catch(() => {});
    const maskText = (text: string) => masker.maskText(text);
    const running = new DeferredRunningWrite(() => recordAttempt(deps.db, input, attempt, { state: 'RUNNING', startedAt }, maskText));
    // Every heartbeat repeats the task's last details: Temporal keeps only the latest ones, and
    // the next attempt (after a worker restart) resumes from them.
    let lastDetails: unknown;
    let warning: string | undefined;
    const beat = setInterval(() => activity.heartbeat(lastDetails), HEARTBEAT_MS);
    // A kill notice aborts the task's work (its HTTP call, its wait) at once; the activity then
    // ends as cancelled when Temporal's cancel arrives, as Temporal expects of a killed task.
    const killNotice = new AbortController();
    const unsubscribe = deps.kills?.subscribe(input.executionId, () => {
      if (killNotice.signal.aborted) return;
      isBeingKilled(deps.db, input.executionId).then(
        (killed) => killed && killNotice.abort(new Error('the execution was killed')),
        () => {},
      );
    });
    const signal = deps.kills ? AbortSignal.any([activity.cancellationSignal, killNotice.signal]) : activity.cancellationSignal;
    try {
      const runtime = deps.runtimes.get(input.task.pluginId);
      const definition = deps.registry.resolve(input.task.pluginId);
      if (!runtime || !definition) throw nonRetryable(`no runtime for task type ${input.task.type} on this worker`);

      const storage = deps.files?.forTaskRun(
        input.tenant,
        { namespace: input.context.flow.namespace, flowId: input.context.flow.id, executionId: input.executionId },
        input.task.id,
        input.taskRunId,
      );
      const credentials = new AttemptCredentials(deps.credentials, input.tenant, input.context.flow.namespace, masker);
      const rendered = await renderProps(deps, input, masker, attempt, storage, credentials);
      // A typed render into a text property ("{{ 1 + 1 }}" → 2) is that text, as in Kestra.
      const parsed = parseProps(definition.props as z.ZodType, rendered);
      if (!parsed.success) {
        throw nonRetryable(`invalid properties after rendering: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
      }
      const context = createTaskContext({
        props: parsed.data,
        signal,
        masker,
        heartbeat: (details) => {
          if (details !== undefined) lastDetails = details;
          activity.heartbeat(lastDetails);
        },
        resumeDetails: activity.info.heartbeatDetails,
        onLog: (entry: LogEntry) => logs.add(entry),
        onWarning: (reason) => {
          warning = reason;
        },
        resolveSecret: (name) => deps.secrets.get(input.tenant, input.context.flow.namespace, name),
        resolveCredential: (name) =>
          credentials.forTask(name).catch((e) => {
            throw credentialFailure(e);
          }),
        onUnauthorized: credentials.onUnauthorized,
        kv: deps.kv.forTenant(input.tenant),
        storage,
        ...(deps.summaries ? { executions: { summary: (id: string) => deps.summaries!.summary(input.tenant, id, input.executionId) } } : {}),
        ...(deps.keyring ? { encrypt: (plaintext: string) => encryptOutput(deps.keyring!, input.tenant, plaintext) } : {}),
        taskRun: {
          executionId: input.executionId,
          namespace: input.context.flow.namespace,
          flowId: input.context.flow.id,
          taskId: input.task.id,
          taskRunId: input.taskRunId,
          attempt,
          deadline: input.timeoutMs ? startedAt.getTime() + input.timeoutMs : undefined,
        },
      });
      const outputs = masker.mask((await runtime.run(context)) ?? {}) as Record<string, unknown>;
      const [, , runningRecorded] = await Promise.all([logs.flush(), executionMarked, running.settle()]);
      await recordAttempt(
        deps.db,
        input,
        attempt,
        {
          runningSkipped: !runningRecorded,
          state: 'SUCCESS',
          startedAt,
          endedAt: new Date(),
          outputs,
          renderedProps: masker.mask(rendered) as Record<string, unknown>,
        },
        maskText,
      );
      // A task that ends WARNING leaves the end to the workflow (the execution ends WARNING, not SUCCESS).
      const executionEnded = input.endExecutionOnSuccess && !warning ? await endExecution(deps, input.executionId) : false;
      return { outputs, attempt, ...(warning ? { warning } : {}), ...(executionEnded ? { executionEnded } : {}) };
    } catch (error) {
      const cancelled = activity.cancellationSignal.aborted || killNotice.signal.aborted;
      const message = masker.maskText(describe(error));
      logs.add({ level: 'ERROR', message: cancelled ? `killed: ${message}` : message, timestamp: new Date().toISOString() });
      const [, , runningRecorded] = await Promise.all([logs.flush(), executionMarked, running.settle()]).catch(() => [undefined, undefined, true]);
      await recordAttempt(
        deps.db,
        input,
        attempt,
        {
          runningSkipped: !runningRecorded,
          state: cancelled ? 'KILLED' : 'FAILED',
          startedAt,
          endedAt: new Date(),
          error: message,
        },
        maskText,
      ).catch(() => {});
      if (cancelled) {
        // Aborted by the notice: the attempt is recorded KILLED already; Temporal's cancel follows
        // the execution's KILLING (the heartbeats keep going meanwhile, and bring it).
        await abortedOrAfter(activity.cancellationSignal, KILL_CANCEL_WAIT_MS);
        if (activity.cancellationSignal.aborted) throw activity.cancellationSignal.reason ?? error;
        throw nonRetryable(`killed: ${message} (Temporal's cancel did not arrive within ${KILL_CANCEL_WAIT_MS / 1000} s)`);
      }
      throw toFailure(error, message);
    } finally {
      unsubscribe?.();
      clearInterval(beat);
      logs.close();
    }
  };
}

/**
 * The execution's last task succeeded and nothing follows it: the execution ends SUCCESS here, as
 * the workflow's final projection would have written it (the same transition), and Flow triggers
 * are evaluated as after that projection. A failure here must not fail the task (a retry would run
 * it again): the workflow is told nothing was ended and writes the end itself, as before.
 */
async function endExecution(deps: RunTaskDeps, executionId: string): Promise<boolean> {
  try {
    await projectExecutionState(deps.db, executionId, 'SUCCESS', { at: new Date().toISOString(), outputs: {} });
    await deps.onExecutionEnd?.(executionId);
    return true;
  } catch {
    return false;
  }
}

async function renderProps(
  deps: RunTaskDeps,
  input: RunTaskInput,
  masker: SecretMasker,
  attempt: number,
  storage: StorageAccess | undefined,
  credentials: AttemptCredentials,
): Promise<unknown> {
  // secret() is synchronous inside expressions, so the secrets a task names are fetched first.
  const wanted = expressions.findFunctionCalls(input.task.props, ['secret']);
  const values = new Map<string, string>();
  for (const call of wanted) {
    if (call.arg === undefined) throw nonRetryable(`secret() needs a literal name, e.g. secret('API_TOKEN')`);
    if (values.has(call.arg)) continue;
    const value = await deps.secrets.get(input.tenant, input.context.flow.namespace, call.arg).catch((e) => {
      throw nonRetryable(describe(e));
    });
    values.set(call.arg, value);
    masker.add(value);
  }
  const secret = Object.assign(
    (name: unknown) => {
      const value = values.get(String(name));
      if (value === undefined) throw new Error(`secret '${String(name)}' was not prefetched`);
      return value;
    },
    { taints: true },
  );
  // credential() likewise: each credential named is minted (or taken from the worker's cache) first.
  const tokens = new Map<string, string>();
  for (const call of expressions.findFunctionCalls(input.task.props, ['credential'])) {
    if (call.arg === undefined) throw nonRetryable(`credential() needs a literal name, e.g. credential('argocd')`);
    if (tokens.has(call.arg)) continue;
    const resolved = await credentials.resolve(call.arg).catch((e) => {
      throw credentialFailure(e);
    });
    tokens.set(call.arg, resolved.token);
  }
  const credential = Object.assign(
    (name: unknown) => {
      const token = tokens.get(String(name));
      if (token === undefined) throw new Error(`credential '${String(name)}' was not prefetched`);
      return token;
    },
    { taints: true },
  );
  // errorLogs() reads the database, so its answer is fetched before rendering too.
  const errorLogs = expressions.findFunctionCalls(input.task.props, ['errorLogs']).length ? await fetchErrorLogs(deps.db, input.tenant, input.context) : undefined;
  // kv() is synchronous too: a render that meets a key not fetched yet records it and stops; the
  // keys are fetched and the render runs again (rendering is pure), a few rounds at most.
  const kvValues = new Map<string, unknown>();
  const kvWanted: { namespace: string; key: string }[] = [];
  const kvKey = (namespace: string, key: string) => `${namespace}\u0000${key}`;
  const kv = (key: unknown, ...rest: unknown[]) => {
    const named = (rest.length && typeof rest[rest.length - 1] === 'object' && rest[rest.length - 1] !== null ? rest.pop() : {}) as {
      namespace?: unknown;
      errorOnMissing?: unknown;
    };
    const namespace = String(rest[0] ?? named.namespace ?? input.context.flow.namespace);
    const errorOnMissing = (rest[1] ?? named.errorOnMissing ?? true) !== false;
    const id = kvKey(namespace, String(key));
    if (!kvValues.has(id)) {
      kvWanted.push({ namespace, key: String(key) });
      throw new NotComputedYet();
    }
    const value = kvValues.get(id);
    if (value === undefined && errorOnMissing)
      throw new Error(`no KV pair with key '${String(key)}' in namespace ${namespace}; kv('${String(key)}', errorOnMissing=false) gives null instead`);
    return value ?? null;
  };
  // jq runs for real (WebAssembly, in a thread with a time limit) the same way: outputs asked for
  // in one round are computed before the next.
  const jqResults = new Map<string, { values?: unknown[]; error?: string }>();
  const jqWanted = new Map<string, { input: string; program: string }>();
  const jq =
    deps.jq &&
    ((value: unknown, program: string) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const id = `${program}\u0000${text}`;
      const known = jqResults.get(id);
      if (!known) {
        jqWanted.set(id, { input: text, program });
        throw new NotComputedYet();
      }
      if (known.error !== undefined) throw new Error(known.error);
      return known.values!;
    });
  // Encrypted outputs of earlier tasks (encryptBody) render as their plaintext, which is then a
  // secret of this task: tainted in the render, masked in its logs and outputs.
  const decrypted: string[] = [];
  const outputs = deps.keyring
    ? (() => {
        try {
          return decryptOutputs(deps.keyring!, input.tenant, input.context.outputs, (plaintext) => {
            decrypted.push(plaintext);
            masker.add(plaintext);
          });
        } catch (e) {
          throw nonRetryable(`an encrypted output could not be decrypted: ${describe(e)}`);
        }
      })()
    : input.context.outputs;
  const secretValues = decrypted.length ? [...(input.secretValues ?? []), ...decrypted.filter((p) => p.length >= MIN_MASKABLE_LENGTH)] : input.secretValues;
  // read(), fileSize()...: files are fetched between rounds the same way.
  const files = storage && new FileFunctions(storage, input.context.flow.namespace);
  const context = { ...input.context, outputs, taskrun: { ...input.context.taskrun, attemptsCount: attempt } };
  for (let round = 0; ; round++) {
    try {
      return renderOnce(
        { ...input, secretValues },
        context,
        masker,
        {
          secret,
          credential,
          kv,
          ...(errorLogs ? { errorLogs: () => errorLogs } : {}),
          ...(files?.functions() ?? {}),
          ...kestraCryptoFunctions(),
          fileURI: (path: unknown) => expressions.namespaceFileUri(input.context.flow.namespace, path),
        },
        jq,
      );
    } catch (error) {
      if ((!kvWanted.length && !jqWanted.size && !files?.pending) || round >= 20) throw nonRetryable(masker.maskText(describe(error)));
      await files?.fetch();
      for (const { namespace, key } of kvWanted.splice(0)) {
        const entry = await deps.kv.get(input.tenant, namespace, key).catch((e) => {
          throw nonRetryable(describe(e));
        });
        kvValues.set(kvKey(namespace, key), entry?.value);
      }
      for (const [id, job] of jqWanted) {
        jqResults.set(
          id,
          await deps.jq!.run(job.input, job.program).then(
            (values) => ({ values }),
            (e: Error) => ({ error: e.message }),
          ),
        );
      }
      jqWanted.clear();
    }
  }
}

/** A kv() value or a jq result that is fetched or computed before the next rendering round. */
class NotComputedYet extends Error {
  constructor() {
    super('a kv() value or a jq result is not there yet');
  }
}

function renderOnce(
  input: RunTaskInput,
  context: unknown,
  masker: SecretMasker,
  functions: Record<string, ((...args: unknown[]) => unknown) & { taints?: boolean }>,
  jq: ((value: unknown, program: string) => unknown[]) | undefined,
): unknown {
  return expressions.render(input.task.props, context as Record<string, unknown>, {
    functions,
    jq,
    // SECRET inputs are tainted like secret(): their slices, filters and concatenations are masked too.
    secretValues: input.secretValues,
    onSecretValue: (v) => {
      // The masker replaces strings of 4 characters or more; a shorter piece of a secret (a
      // slice, one character) could not be masked, and a few of them rebuild the secret. Refuse.
      if (v.length < MIN_MASKABLE_LENGTH) {
        throw new Error(
          `a value derived from a secret (or a SECRET input) is shorter than ${MIN_MASKABLE_LENGTH} characters (a slice, an index or a short secret), so it could not be masked in logs and outputs; use the whole secret instead`,
        );
      }
      masker.add(v);
    },
    location: { taskId: input.task.id },
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A credential that could not be resolved: retried only when the provider may recover (5xx, network). */
function credentialFailure(error: unknown) {
  if (error instanceof MintError)
    return ApplicationFailure.create({ type: error.retryable ? 'CredentialUnavailable' : 'NonRetryable', message: error.message, nonRetryable: !error.retryable });
  return nonRetryable(describe(error));
}

function nonRetryable(message: string) {
  return ApplicationFailure.create({ type: 'NonRetryable', message, nonRetryable: true });
}

function toFailure(error: unknown, message: string) {
  if (error instanceof ApplicationFailure) {
    return ApplicationFailure.create({ type: error.type ?? 'TaskError', message, nonRetryable: error.nonRetryable ?? undefined });
  }
  if (isPluginError(error)) {
    return ApplicationFailure.create({
      type: error.retryable ? error.code : 'NonRetryable',
      message,
      nonRetryable: !error.retryable,
      nextRetryDelay: error.retryAfterMs,
      details: [{ code: error.code }],
    });
  }
  return ApplicationFailure.create({ type: 'TaskError', message });
}
