import { z } from 'zod';
import type { TaskContext } from './context';

/**
 * A plugin is data plus a function. The definition (this file) is zod only, so the web app
 * can import it for docs, completion and validation without pulling any client library; the
 * runtime (a `run` function) is attached separately with `defineRuntime` and only the worker
 * imports it.
 */
export interface PluginExample {
  title: string;
  /** A complete flow in YAML that uses the task. Every example is validated by a test. */
  flow: string;
}

export interface ActivityDefaults {
  /** ISO-8601 duration for one attempt (Temporal startToCloseTimeout), e.g. PT5M. */
  timeout?: string;
  /** ISO-8601 heartbeat timeout; long-running tasks must heartbeat at least this often. */
  heartbeatTimeout?: string;
  retry?: {
    maxAttempt?: number;
    interval?: string;
    maxInterval?: string;
    backoffCoefficient?: number;
  };
}

export type TaskKind = 'runnable' | 'flowable';

export interface PluginDefinition<P extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Baton's own short name, e.g. `cloudflare.dns.records.Upsert`. */
  id: string;
  /** Other names that resolve to this plugin: Kestra's type names first. */
  aliases: string[];
  title: string;
  /** Markdown. Says what the task does, what it needs and whether it is idempotent. */
  description: string;
  /** Grouping for the docs page, e.g. "Cloudflare / DNS". */
  group: string;
  kind: TaskKind;
  props: P;
  outputs: O;
  examples: PluginExample[];
  activity: ActivityDefaults;
  /** True when running the task twice with the same properties leaves the same end state. */
  idempotent: boolean;
  /**
   * Flowable tasks only: properties that hold child tasks, either a list (`tasks`, `then`), a
   * map of lists (`cases` of Switch) or a list of `{task, dependsOn}` entries (Dag). The flow
   * validator and the graph walk these.
   */
  taskLists?: TaskListSpec[];
  /**
   * Flowable tasks only: task runs the task creates under itself, as suffixes of its id (Kestra's
   * ForEachItem: `_split`, `_items`, `_merge`). Their outputs are `outputs.<id><suffix>`.
   */
  internalTaskSuffixes?: string[];
}

export interface TaskListSpec {
  key: string;
  /** `dag`: `[{task: {...}, dependsOn: [ids of sibling tasks]}]` (Kestra's Dag). */
  shape: 'list' | 'map' | 'dag';
}

export type PropsOf<D> = D extends PluginDefinition<infer P, z.ZodType> ? z.infer<P> : never;
export type OutputsOf<D> = D extends PluginDefinition<z.ZodType, infer O> ? z.infer<O> : never;

export function definePlugin<P extends z.ZodType, O extends z.ZodType>(
  definition: Omit<PluginDefinition<P, O>, 'aliases' | 'activity' | 'kind'> & Partial<Pick<PluginDefinition<P, O>, 'aliases' | 'activity' | 'kind'>>,
): PluginDefinition<P, O> {
  return {
    aliases: [],
    activity: {},
    kind: 'runnable',
    ...definition,
  };
}

export interface PluginRuntime<D extends PluginDefinition = PluginDefinition> {
  definition: D;
  run(context: TaskContext<PropsOf<D>>): Promise<OutputsOf<D>>;
}

export function defineRuntime<D extends PluginDefinition>(definition: D, run: (context: TaskContext<PropsOf<D>>) => Promise<OutputsOf<D>>): PluginRuntime<D> {
  return { definition, run };
}
