import type { HttpClient } from './http';
import type { KvAccess } from './kv';
import type { StorageAccess } from './storage';
import type { EncryptedString } from './encrypted';

export interface TaskLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Credential {
  name: string;
  type: string;
  /** What `{{ credential('name') }}` renders to: the access token for token types (docs/credentials.md). */
  token: string;
  /** Resolved material: token, username/password, PEM, ... depending on type. */
  values: Record<string, string>;
}

/**
 * What notification tasks (`*Execution`) say about an execution: read from Baton's projection by
 * the worker. `link` is the execution page under BATON_PUBLIC_URL.
 */
export interface ExecutionSummary {
  id: string;
  tenant: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  /** The execution's state; for the running execution itself, FAILED once a task failed. */
  state: string;
  /** True when the summary is of the execution the task runs in (it has not ended yet). */
  current: boolean;
  startDate?: string;
  endDate?: string;
  durationMs?: number;
  /** Human duration, e.g. `1m 12s`. */
  duration?: string;
  labels: Record<string, string>;
  link: string;
  /** The first task run that failed, with its error. */
  firstFailed?: { taskId: string; taskRunId: string; error?: string };
  /** The last task run that ended. */
  lastTask?: { taskId: string; state: string };
  error?: string;
  triggeredBy?: string;
}

/** Read access to executions of the task's tenant (notification tasks summarise them). */
export interface ExecutionAccess {
  summary(executionId: string): Promise<ExecutionSummary>;
}

export interface TaskRunInfo {
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  taskRunId: string;
  attempt: number;
  /** Epoch ms when this attempt times out (the task's `timeout`), when one is set. */
  deadline?: number;
}

/**
 * What a runnable task gets when it runs inside a Temporal activity.
 * `props` are already rendered (expressions evaluated, secrets resolved) and validated.
 */
export interface TaskContext<P> {
  props: P;
  logger: TaskLogger;
  /** Aborted when the execution is killed or the attempt times out. Pass it to every wait. */
  signal: AbortSignal;
  /**
   * Reports liveness; cheap to call often (throttled by the SDK). `details` (no secrets: they go
   * to Temporal) are kept until replaced, and the next attempt reads them as `resumeDetails`.
   */
  heartbeat(details?: unknown): void;
  /**
   * The last heartbeat details of the previous attempt of this task run, when that attempt died
   * mid-wait (a worker restart, a heartbeat timeout) or failed after heartbeating. A task that
   * started a remote operation puts enough in its heartbeat to resume waiting for it instead of
   * starting it again. Undefined on a first attempt.
   */
  resumeDetails?: unknown;
  secret(name: string): Promise<string>;
  /**
   * A credential of the flow's namespace (minted or from the cache). Its token is masked. A 401
   * answered to a request of `http` that carried it re-mints it once and retries (see http.ts).
   */
  credential(name: string): Promise<Credential>;
  /**
   * Ends this task run in WARNING instead of SUCCESS, outputs kept (Kestra's `warningOnStdErr`: a
   * script that wrote to stderr but exited 0). The reason is shown as the task run's message.
   */
  setWarning(reason: string): void;
  /** Registers a value to be masked in logs and outputs (a token obtained at run time, say). */
  maskValue(value: string): void;
  /**
   * Encrypts a value for the task's outputs (Kestra's EncryptedString): stored and shown
   * encrypted, decrypted when a later task renders it. Fails where no key is configured.
   */
  encrypt(plaintext: string): EncryptedString;
  http: HttpClient;
  /** Kestra's KV store of the tenant (namespaces are explicit; tasks default to the flow's). */
  kv: KvAccess;
  /** Executions of the tenant, read-only (provided by the worker). */
  executions: ExecutionAccess;
  /** Internal storage (kestra:// files) of the running execution. */
  storage: StorageAccess;
  /** Sleeps, waking early with a CANCELLED PluginError when the signal aborts. */
  sleep(ms: number): Promise<void>;
  taskRun: TaskRunInfo;
}
