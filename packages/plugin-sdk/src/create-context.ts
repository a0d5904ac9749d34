import type { Credential, ExecutionAccess, TaskContext, TaskLogger, TaskRunInfo } from './context';
import type { EncryptedString } from './encrypted';
import { PluginError } from './errors';
import { createHttpClient, type UnauthorizedHook } from './http';
import type { KvAccess } from './kv';
import { SecretMasker } from './masking';
import type { StorageAccess } from './storage';

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface LogEntry {
  level: LogLevel;
  message: string;
  timestamp: string;
  fields?: Record<string, unknown>;
}

export interface ContextOptions<P> {
  props: P;
  signal: AbortSignal;
  masker?: SecretMasker;
  heartbeat?: (details?: unknown) => void;
  /** Heartbeat details of the previous attempt (Temporal's `heartbeatDetails`). */
  resumeDetails?: unknown;
  onLog?: (entry: LogEntry) => void;
  resolveSecret?: (name: string) => Promise<string>;
  resolveCredential?: (name: string) => Promise<Credential>;
  /** A 401 answered to a request carrying a credential's token: see HttpClientDefaults.onUnauthorized. */
  onUnauthorized?: UnauthorizedHook;
  /** The KV store; without it, KV tasks fail saying it is not available. */
  kv?: KvAccess;
  /** Internal storage of the execution; without it, file tasks fail saying it is not available. */
  storage?: StorageAccess;
  /** Executions of the tenant; without it, tasks that summarise an execution fail saying so. */
  executions?: ExecutionAccess;
  taskRun?: Partial<TaskRunInfo>;
  httpTimeoutMs?: number;
  /** Encrypts an output value (the worker's keyring); without it, ctx.encrypt() fails. */
  encrypt?: (plaintext: string) => EncryptedString;
  /** ctx.setWarning(): the task run ends WARNING (the worker returns the reason to the workflow). */
  onWarning?: (reason: string) => void;
}

/**
 * Builds the context a runnable task receives. The worker builds it inside a Temporal activity;
 * plugin tests build it directly to run a task against a simulator.
 */
export function createTaskContext<P>(options: ContextOptions<P>): TaskContext<P> {
  const masker = options.masker ?? new SecretMasker();
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    options.onLog?.({
      level,
      message: masker.maskText(message),
      timestamp: new Date().toISOString(),
      fields: fields ? masker.mask(fields) : undefined,
    });
  };
  const logger: TaskLogger = { debug: emit('DEBUG'), info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
  const heartbeat = options.heartbeat ?? (() => {});
  return {
    props: options.props,
    logger,
    signal: options.signal,
    heartbeat,
    resumeDetails: options.resumeDetails,
    maskValue: (value) => masker.add(value),
    setWarning: (reason) => options.onWarning?.(masker.maskText(reason)),
    encrypt(plaintext) {
      if (!options.encrypt) throw new PluginError('INVALID_PROPERTIES', 'encrypting outputs is not available here (no encryption key)');
      return options.encrypt(plaintext);
    },
    async secret(name) {
      if (!options.resolveSecret) throw new PluginError('NOT_FOUND', `secret('${name}') is not available here`);
      const value = await options.resolveSecret(name);
      masker.add(value);
      return value;
    },
    async credential(name) {
      if (!options.resolveCredential) throw new PluginError('NOT_FOUND', `credential('${name}') is not available here`);
      const credential = await options.resolveCredential(name);
      masker.add(credential.token);
      for (const v of Object.values(credential.values)) masker.add(v);
      return credential;
    },
    kv: options.kv ?? unavailableKv,
    storage: options.storage ?? unavailableStorage,
    executions: options.executions ?? unavailableExecutions,
    http: createHttpClient({ signal: options.signal, timeoutMs: options.httpTimeoutMs, onUnauthorized: options.onUnauthorized }),
    sleep(ms) {
      return new Promise<void>((resolve, reject) => {
        if (options.signal.aborted) return reject(new PluginError('CANCELLED', 'cancelled'));
        // Heartbeat while sleeping so a kill is noticed within a heartbeat interval.
        const beat = setInterval(() => heartbeat(), 500);
        const timer = setTimeout(() => {
          clearInterval(beat);
          options.signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        const onAbort = () => {
          clearTimeout(timer);
          clearInterval(beat);
          reject(new PluginError('CANCELLED', 'cancelled while waiting'));
        };
        options.signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    taskRun: {
      executionId: 'local',
      namespace: 'local',
      flowId: 'local',
      taskId: 'task',
      taskRunId: 'local',
      attempt: 1,
      ...options.taskRun,
    },
  };
}

const noKv = async (): Promise<never> => {
  throw new PluginError('NOT_FOUND', 'the KV store is not available here (it is provided by the worker)');
};
const unavailableKv: KvAccess = { get: noKv, set: noKv, delete: noKv, keys: noKv, purge: noKv };

const noStorage = async (): Promise<never> => {
  throw new PluginError('NOT_FOUND', 'internal storage is not available here (it is provided by the worker)');
};
const unavailableStorage: StorageAccess = { put: noStorage, get: noStorage, size: noStorage, namespaceFiles: noStorage };

const unavailableExecutions: ExecutionAccess = {
  summary: async () => {
    throw new PluginError('NOT_FOUND', 'executions are not readable here (the worker provides them)');
  },
};
