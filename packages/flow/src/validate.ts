import { RETIRED_CONDITIONS, type PluginDefinition, type PluginRegistry, type TriggerKind } from '@baton/plugin-sdk';
import { parseDuration } from '@baton/plugin-sdk/duration';
import { parseProps } from '@baton/plugin-sdk/coerce';
import { closest } from '@baton/plugin-sdk/text';
import { z } from 'zod';
import { checkSyntax, findReferences } from './expressions';
import { CronError, CronSchedule } from './cron';
import {
  COMMON_TASK_KEYS,
  COMMON_TRIGGER_KEYS,
  commonTaskShape,
  FLOW_KEYS,
  flowShape,
  inputSchema,
  pluginDefaultSchema,
  triggerSchema,
  type FlowInput,
  type PluginDefault,
} from './flow-schema';
import { checkInputDeclarations } from './input-dependencies';
import { coerceInput } from './inputs';
import type { ConditionSpec, FlowPlan, NotificationSpec, TaskSpec, TriggerSpec } from './model';

/** The end states a flow's notifications may name. */
export const NOTIFY_STATES = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'] as const;
/** The plugin group of notification tasks (packages/plugins/notifications): only they may be notifications. */
const NOTIFICATION_GROUP = 'Notifications';
import { explainPluginDefaults, type DefaultLayer, type SuppliedProperty } from './plugin-defaults';
import { YamlSource, type FlowError, type PathSegment } from './yaml-source';

export interface ValidationResult {
  /** Present when there are no errors. */
  plan?: FlowPlan;
  errors: FlowError[];
  /** The parsed document when the YAML itself was readable (for editors showing partial results). */
  document?: Record<string, unknown>;
  /** Per task, the properties that a plugin default supplies (for the editor's hints). */
  suppliedDefaults: SuppliedDefaults[];
}

/** The properties of one task that come from plugin defaults, and where the task is written. */
export interface SuppliedDefaults {
  taskId: string;
  line: number;
  column: number;
  properties: SuppliedProperty[];
}

export interface ValidateOptions {
  registry: PluginRegistry;
  /**
   * Plugin defaults above the flow, top first: instance, tenant, namespaces from the root down
   * (see DefaultLayer). The flow's own `pluginDefaults` are added below them.
   */
  defaultLayers?: DefaultLayer[];
  revision?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isExpression = (v: unknown) => typeof v === 'string' && v.includes('{{');

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * Validates a flow's YAML and returns the normalised plan, or every error found with its line
 * and column. It never throws on user input.
 */
export function validateFlow(source: string, options: ValidateOptions): ValidationResult {
  try {
    const yaml = new YamlSource(source);
    if (yaml.syntaxErrors.length) return { errors: yaml.syntaxErrors, suppliedDefaults: [] };
    const nul = findNul(yaml.value);
    if (nul) return { errors: [yaml.error(nul, 'text cannot contain the NUL character (\\0 or \\u0000); remove it')], suppliedDefaults: [] };
    return new FlowValidator(yaml, options).run();
  } catch (error) {
    // Recursion over a pathologically nested document: a user's mistake, not a crash.
    if (error instanceof RangeError) return { errors: [{ path: '', line: 1, column: 1, message: 'the flow is nested too deeply to validate; flatten it' }], suppliedDefaults: [] };
    throw error;
  }
}

/**
 * A namespace's notification rule (docs/notifications.md, "For a whole namespace"): a YAML mapping
 * with one key, `notifications`, holding entries exactly like a flow's (validated by the same code,
 * plugin defaults of the namespace merged), so errors carry the line and column of the document.
 * `notifications: []` is a rule too: it opts the namespace's subtree out of a parent's rule.
 */
export function validateNamespaceNotifications(source: string, options: ValidateOptions): { notifications?: NotificationSpec[]; errors: FlowError[] } {
  try {
    const yaml = new YamlSource(source);
    if (yaml.syntaxErrors.length) return { errors: yaml.syntaxErrors };
    const nul = findNul(yaml.value);
    if (nul) return { errors: [yaml.error(nul, 'text cannot contain the NUL character (\\0 or \\u0000); remove it')] };
    return new FlowValidator(yaml, options).runNotificationsDocument();
  } catch (error) {
    if (error instanceof RangeError) return { errors: [{ path: '', line: 1, column: 1, message: 'the document is nested too deeply to validate; flatten it' }] };
    throw error;
  }
}

/** Path of the first key or string holding a NUL character: PostgreSQL text and jsonb refuse it. */
function findNul(root: unknown): PathSegment[] | undefined {
  const stack: { value: unknown; path: PathSegment[] }[] = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    } else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\u0000')) return [...path, k];
        stack.push({ value: v, path: [...path, k] });
      }
    }
  }
  return undefined;
}

class FlowValidator {
  private readonly errors: FlowError[] = [];
  private readonly taskIds = new Map<string, string>();
  private pluginDefaults: PluginDefault[] = [];
  private readonly supplied: SuppliedDefaults[] = [];
  private inputIds = new Set<string>();
  /** First parts of dotted input ids: `inputs.request` is readable when `request.name` exists. */
  private inputRoots = new Set<string>();
  /**
   * Where the tasks being validated sit: `compensate` is declared only by tasks of `tasks` (what
   * errors, finally and compensations do is not undone; docs/compensation.md).
   */
  private branch: 'tasks' | 'errors' | 'finally' | 'compensate' | 'notifications' = 'tasks';

  constructor(
    private readonly yaml: YamlSource,
    private readonly options: ValidateOptions,
  ) {}

  private error(path: readonly PathSegment[], message: string, preferKey = false) {
    this.errors.push(this.yaml.error(path, message, preferKey));
  }

  private zodErrors(issues: z.core.$ZodIssue[], base: readonly PathSegment[], root: unknown) {
    for (const issue of issues) {
      const path = issue.path as PathSegment[];
      // A value written as an expression is checked when it is rendered, not at save time.
      if (isExpression(valueAt(root, path))) continue;
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) this.error([...base, ...path, key], `unknown property '${key}'`, true);
        continue;
      }
      const value = valueAt(root, path);
      const name = String(path[path.length - 1] ?? 'value');
      const message =
        issue.code === 'invalid_type' && value === undefined
          ? `missing required property '${name}'`
          : issue.code === 'invalid_union'
            ? unionMessage(name, value, issue)
            : issue.message;
      this.error([...base, ...path], message);
    }
  }

  /** A namespace notification document: `notifications:` and nothing else (see validateNamespaceNotifications). */
  runNotificationsDocument(): { notifications?: NotificationSpec[]; errors: FlowError[] } {
    const doc = this.yaml.value;
    if (!isRecord(doc) || doc.notifications === undefined) {
      this.error([], "a namespace's notification rule is a mapping with `notifications:`, a list of notification tasks (or [] to send none)");
      return { errors: this.errors };
    }
    for (const key of Object.keys(doc)) if (key !== 'notifications') this.error([key], `unknown property '${key}'; the document holds only notifications`, true);
    this.pluginDefaults = [];
    const notifications = this.validateNotifications(doc.notifications);
    if (this.errors.length) return { errors: this.sorted() };
    return { notifications, errors: [] };
  }

  run(): ValidationResult {
    const doc = this.yaml.value;
    if (!isRecord(doc)) {
      this.error([], 'a flow is a YAML mapping with at least id, namespace and tasks');
      return { errors: this.errors, suppliedDefaults: [] };
    }
    for (const key of Object.keys(doc)) {
      if (!FLOW_KEYS.has(key)) {
        const hint = closest(key, FLOW_KEYS);
        this.error([key], `unknown flow property '${key}'${hint ? `; did you mean '${hint}'?` : ''}`, true);
      }
    }
    const known = Object.fromEntries(Object.entries(doc).filter(([k]) => FLOW_KEYS.has(k)));
    const top = z.object(flowShape).safeParse(known);
    if (!top.success) this.zodErrors(top.error.issues, [], known);

    const inputs = this.validateInputs(doc.inputs);
    this.pluginDefaults = this.validatePluginDefaults(doc.pluginDefaults);
    const triggers = this.validateTriggers(doc.triggers);

    const tasks = this.validateTaskList(doc.tasks, ['tasks']);
    this.branch = 'errors';
    const errors = this.validateTaskList(doc.errors, ['errors']);
    this.branch = 'finally';
    const final = this.validateTaskList(doc.finally, ['finally']);
    this.branch = 'notifications';
    const notifications = this.validateNotifications(doc.notifications);
    this.branch = 'tasks';
    this.checkLocks(doc.locks, ['locks']);
    this.checkReferences(doc);

    if (this.errors.length) return { errors: this.sorted(), document: doc, suppliedDefaults: this.supplied };
    const labels = Array.isArray(doc.labels)
      ? Object.fromEntries((doc.labels as { key: string; value: string }[]).map((l) => [l.key, l.value]))
      : Object.fromEntries(Object.entries((doc.labels as Record<string, unknown>) ?? {}).map(([k, v]) => [k, String(v)]));
    const concurrency = doc.concurrency as FlowPlan['concurrency'] | undefined;
    const plan: FlowPlan = {
      id: doc.id as string,
      namespace: doc.namespace as string,
      revision: this.options.revision ?? 1,
      // Kestra's blueprint metadata (`extend:`) stays in the source; its title stands in for a
      // missing description, so lists show what the flow is.
      description: (doc.description as string | undefined) ?? (doc.extend as { title?: string } | undefined)?.title,
      labels,
      inputs,
      variables: (doc.variables as Record<string, unknown>) ?? {},
      tasks,
      errors,
      finally: final,
      outputs: (doc.outputs as FlowPlan['outputs']) ?? [],
      pluginDefaults: this.pluginDefaults,
      concurrency: concurrency ? { limit: concurrency.limit, behavior: concurrency.behavior ?? 'QUEUE' } : undefined,
      // Only written when declared: plans of flows without them stay exactly as they were.
      ...(doc.compensation ? { compensation: { mode: (doc.compensation as { mode?: 'ON_FAILURE' | 'NEVER' | 'ASK' }).mode ?? 'ON_FAILURE' } } : {}),
      ...(Array.isArray(doc.locks) && doc.locks.length ? { locks: doc.locks as string[] } : {}),
      ...(typeof doc.lockTimeout === 'string' ? { lockTimeout: doc.lockTimeout } : {}),
      retry: doc.retry as FlowPlan['retry'],
      disabled: doc.disabled === true,
      triggers,
      // Written, even empty: `notifications: []` opts the flow out of its namespace's rule.
      ...(notifications.length || Array.isArray(doc.notifications) ? { notifications } : {}),
    };
    return { plan, errors: [], document: doc, suppliedDefaults: this.supplied };
  }

  private sorted() {
    return this.errors.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private validateInputs(value: unknown): FlowInput[] {
    if (!Array.isArray(value)) return [];
    const out: FlowInput[] = [];
    const positions: number[] = [];
    value.forEach((raw, i) => {
      const parsed = inputSchema.safeParse(raw);
      if (!parsed.success) return this.zodErrors(parsed.error.issues, ['inputs', i], raw);
      const input = parsed.data;
      if (this.inputIds.has(input.id)) return this.error(['inputs', i, 'id'], `duplicate input id '${input.id}'`);
      this.inputIds.add(input.id);
      if (input.id.includes('.')) this.inputRoots.add(input.id.split('.')[0]);
      this.checkExpressionSyntax(input.defaults, ['inputs', i, 'defaults'], true);
      this.checkExpressionSyntax(input.dependsOn?.condition, ['inputs', i, 'dependsOn', 'condition'], true);
      if (input.prefill !== undefined && !isExpression(input.prefill)) {
        try {
          coerceInput(input, input.prefill);
        } catch (e) {
          this.error(['inputs', i, 'prefill'], `prefill does not fit type ${input.type}: ${(e as Error).message}`);
        }
      }
      if (input.defaults !== undefined && !isExpression(input.defaults)) {
        try {
          coerceInput(input, input.defaults);
        } catch (e) {
          this.error(['inputs', i, 'defaults'], `default does not fit type ${input.type}: ${(e as Error).message}`);
        }
      }
      if ((input.type === 'SELECT' || input.type === 'MULTISELECT') && !(input.values ?? input.options)?.length) {
        this.error(['inputs', i], `${input.type} input '${input.id}' needs 'values'`);
      }
      out.push(input);
      positions.push(i);
    });
    for (const problem of checkInputDeclarations(out)) this.error(['inputs', positions[problem.index] ?? 0, problem.key], problem.message);
    return out;
  }

  private validatePluginDefaults(value: unknown): PluginDefault[] {
    if (!Array.isArray(value)) return [];
    const out: PluginDefault[] = [];
    value.forEach((raw, i) => {
      const parsed = pluginDefaultSchema.safeParse(raw);
      if (!parsed.success) return this.zodErrors(parsed.error.issues, ['pluginDefaults', i], raw);
      const matchesSomething = this.options.registry.names().some((n) => n === parsed.data.type || n.startsWith(`${parsed.data.type}.`));
      if (!matchesSomething) this.error(['pluginDefaults', i, 'type'], `no plugin type matches '${parsed.data.type}'`);
      out.push(parsed.data);
    });
    return out;
  }

  /**
   * Triggers are checked like tasks: the type against the registry's trigger types, the type's own
   * properties against its zod schema, conditions against the condition types the trigger's kind
   * can evaluate, and what zod cannot say (a cron, a time zone, durations) by hand.
   */
  private validateTriggers(value: unknown): TriggerSpec[] {
    if (!Array.isArray(value)) return [];
    const out: TriggerSpec[] = [];
    const ids = new Set<string>();
    value.forEach((raw, i) => {
      const path: PathSegment[] = ['triggers', i];
      if (!isRecord(raw)) return this.error(path, 'a trigger is a mapping with at least id and type');
      const common = Object.fromEntries(Object.entries(raw).filter(([k]) => COMMON_TRIGGER_KEYS.has(k)));
      const parsed = triggerSchema.safeParse(common);
      if (!parsed.success) this.zodErrors(parsed.error.issues, path, common);
      if (typeof raw.id === 'string') {
        if (ids.has(raw.id)) this.error([...path, 'id'], `duplicate trigger id '${raw.id}'; trigger ids are unique in a flow`);
        ids.add(raw.id);
      }
      if (typeof raw.type !== 'string') return;
      const definition = this.options.registry.resolveTrigger(raw.type);
      if (!definition) {
        const asTask = this.options.registry.resolve(raw.type);
        const hints = this.options.registry.suggestTrigger(raw.type);
        return this.error(
          [...path, 'type'],
          asTask
            ? `'${raw.type}' is a task type, not a trigger type`
            : `unknown trigger type '${raw.type}'${hints.length ? `; did you mean ${hints.map((h) => `'${h}'`).join(' or ')}?` : ''}`,
        );
      }
      const own = Object.fromEntries(Object.entries(raw).filter(([k]) => !COMMON_TRIGGER_KEYS.has(k)));
      const shape = definition.props instanceof z.ZodObject ? (definition.props.shape as Record<string, unknown>) : {};
      for (const key of Object.keys(own)) {
        if (key in shape) continue;
        const hint = closest(key, [...Object.keys(shape), ...COMMON_TRIGGER_KEYS]);
        this.error([...path, key], `unknown property '${key}' for ${definition.id}${hint ? `; did you mean '${hint}'?` : ''}`, true);
      }
      const known = Object.fromEntries(Object.entries(own).filter(([k]) => k in shape));
      const props = parseProps(definition.props, known);
      if (!props.success) this.zodErrors(props.error.issues, path, known);
      const before = this.errors.length;
      this.checkTriggerProps(definition.kind, known, path);
      // Kestra's older Schedule wrote its conditions as scheduleConditions.
      const written = raw.conditions ?? raw.scheduleConditions;
      const conditions = this.validateConditions(written, [...path, raw.conditions !== undefined ? 'conditions' : 'scheduleConditions'], definition.kind, definition.id);
      this.checkExpressionSyntax(own.inputs, [...path, 'inputs'], true);
      if (!parsed.success || !props.success || this.errors.length > before || typeof raw.id !== 'string') return;
      out.push({
        id: raw.id,
        type: raw.type,
        triggerId: definition.id,
        kind: definition.kind,
        description: parsed.data.description,
        disabled: parsed.data.disabled === true,
        conditions,
        stopAfter: parsed.data.stopAfter,
        ...(parsed.data.workerGroup?.key ? { workerGroup: parsed.data.workerGroup.key } : {}),
        props: known,
      });
    });
    return out;
  }

  /** What a zod schema cannot check: the cron and time zone, durations, daily times. */
  private checkTriggerProps(kind: TriggerKind, props: Record<string, unknown>, path: PathSegment[]) {
    if (kind === 'schedule' && typeof props.cron === 'string' && !isExpression(props.cron)) {
      try {
        new CronSchedule(props.cron, { withSeconds: props.withSeconds === true, timezone: typeof props.timezone === 'string' ? props.timezone : undefined });
      } catch (error) {
        if (!(error instanceof CronError)) throw error;
        const where = error.message.includes('time zone') ? 'timezone' : 'cron';
        this.error([...path, where], error.message);
      }
    }
    if (kind === 'schedule' && typeof props.lateMaximumDelay === 'string') this.checkDuration(props.lateMaximumDelay, [...path, 'lateMaximumDelay']);
    const window = (props.preconditions as { timeWindow?: Record<string, unknown> } | undefined)?.timeWindow;
    if (kind === 'flow' && isRecord(window)) {
      for (const key of ['window', 'windowAdvance'] as const) if (typeof window[key] === 'string') this.checkDuration(window[key], [...path, 'preconditions', 'timeWindow', key]);
      for (const key of ['deadline', 'startTime', 'endTime'] as const) {
        if (typeof window[key] === 'string' && !/^\d{2}:\d{2}(:\d{2})?$/.test(window[key]))
          this.error([...path, 'preconditions', 'timeWindow', key], `'${key}' is a time of day HH:mm:ss, not '${window[key]}'`);
      }
      const type = window.type ?? 'DURATION_WINDOW';
      if (type === 'DAILY_TIME_DEADLINE' && window.deadline === undefined) this.error([...path, 'preconditions', 'timeWindow'], 'DAILY_TIME_DEADLINE needs deadline');
      if (type === 'DAILY_TIME_WINDOW' && (window.startTime === undefined || window.endTime === undefined))
        this.error([...path, 'preconditions', 'timeWindow'], 'DAILY_TIME_WINDOW needs startTime and endTime');
    }
  }

  private checkDuration(value: string, path: PathSegment[]) {
    if (parseDuration(value) === undefined) this.error(path, `'${value}' is not an ISO-8601 duration such as PT1H`);
  }

  private validateConditions(value: unknown, path: PathSegment[], kind: TriggerKind, triggerId: string): ConditionSpec[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.error(path, 'conditions is a list of conditions, each with a type');
      return [];
    }
    return value.flatMap((raw, i): ConditionSpec[] => {
      const at = [...path, i];
      if (!isRecord(raw) || typeof raw.type !== 'string') {
        this.error(at, 'a condition is a mapping with a type');
        return [];
      }
      const retired = RETIRED_CONDITIONS[raw.type];
      if (retired) {
        this.error([...at, 'type'], retired);
        return [];
      }
      const definition = this.options.registry.resolveCondition(raw.type);
      if (!definition) {
        const hints = this.options.registry.suggestTrigger(raw.type, true);
        this.error([...at, 'type'], `unknown condition type '${raw.type}'${hints.length ? `; did you mean ${hints.map((h) => `'${h}'`).join(' or ')}?` : ''}`);
        return [];
      }
      if (!definition.appliesTo.includes(kind)) {
        this.error([...at, 'type'], `${definition.id} cannot be used on ${triggerId}: it applies to ${definition.appliesTo.join(', ')} triggers`);
        return [];
      }
      const props = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'type'));
      const parsed = parseProps(definition.props, props);
      if (!parsed.success) {
        this.zodErrors(parsed.error.issues, at, props);
        return [];
      }
      for (const key of ['after', 'before'] as const) {
        if (definition.id === 'core.condition.DateTimeBetween' && typeof props[key] === 'string' && !isExpression(props[key]) && Number.isNaN(Date.parse(props[key])))
          this.error([...at, key], `'${key}' is an ISO-8601 date-time, not '${props[key]}'`);
        if (definition.id === 'core.condition.TimeBetween' && typeof props[key] === 'string' && !/^\d{2}:\d{2}(:\d{2})?$/.test(props[key]))
          this.error([...at, key], `'${key}' is a time of day HH:mm[:ss], not '${props[key]}'`);
      }
      this.checkExpressionSyntax(props, at, true);
      const nested = definition.nested ? this.validateConditions(props.conditions, [...at, 'conditions'], kind, triggerId) : undefined;
      const own = definition.nested ? Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'conditions')) : props;
      return [{ type: raw.type, conditionId: definition.id, props: own, ...(nested ? { conditions: nested } : {}) }];
    });
  }

  /**
   * A flow's `notifications`: each entry is a task of the notifications family plus `states`,
   * the end states that send it. The task is validated like any other (plugin defaults merged,
   * so a namespace can set the webhook URL or SMTP server once for all its flows).
   */
  private validateNotifications(value: unknown): NotificationSpec[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.error(['notifications'], "'notifications' must be a list of notification tasks, each with its `states`");
      return [];
    }
    return value.flatMap((raw, i): NotificationSpec[] => {
      const path: PathSegment[] = ['notifications', i];
      if (!isRecord(raw)) {
        this.error(path, 'a notification is a mapping with id, type (a notification task) and optionally states');
        return [];
      }
      let states = ['FAILED'];
      if (raw.states !== undefined) {
        const bad = Array.isArray(raw.states) ? raw.states.filter((s) => !(NOTIFY_STATES as readonly unknown[]).includes(s)) : [raw.states];
        if (!Array.isArray(raw.states) || !raw.states.length || bad.length) {
          this.error([...path, 'states'], `states is a list of end states among ${NOTIFY_STATES.join(', ')}${bad.length ? `; '${String(bad[0])}' is not one` : ''}`);
          return [];
        }
        states = raw.states as string[];
      }
      const definition = typeof raw.type === 'string' ? this.options.registry.resolve(raw.type) : undefined;
      if (definition && (definition.kind !== 'runnable' || !definition.group.startsWith(NOTIFICATION_GROUP))) {
        this.error(
          [...path, 'type'],
          `'${raw.type}' is not a notification task; use one of the ${NOTIFICATION_GROUP} tasks, e.g. io.kestra.plugin.notifications.slack.SlackExecution`,
        );
        return [];
      }
      const task = this.validateTask(Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'states')), path);
      return task ? [{ states, task }] : [];
    });
  }

  private validateTaskList(value: unknown, path: PathSegment[]): TaskSpec[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.error(path, `'${String(path[path.length - 1])}' must be a list of tasks`);
      return [];
    }
    return value.flatMap((raw, i) => {
      const spec = this.validateTask(raw, [...path, i]);
      return spec ? [spec] : [];
    });
  }

  private validateTask(raw: unknown, path: PathSegment[]): TaskSpec | undefined {
    if (!isRecord(raw)) {
      this.error(path, 'a task is a mapping with at least id and type');
      return undefined;
    }
    const common = Object.fromEntries(Object.entries(raw).filter(([k]) => COMMON_TASK_KEYS.has(k)));
    const parsed = z.object(commonTaskShape).safeParse(common);
    if (!parsed.success) this.zodErrors(parsed.error.issues, path, common);
    const id = typeof raw.id === 'string' ? raw.id : undefined;
    if (id) {
      const previous = this.taskIds.get(id);
      if (previous) this.error([...path, 'id'], `duplicate task id '${id}' (also at ${previous}); task ids are unique in a flow`);
      else
        this.taskIds.set(
          id,
          path
            .map((p) => (typeof p === 'number' ? `[${p}]` : p))
            .join('')
            .replace(/^(\w)/, '$1'),
        );
    }
    if (typeof raw.type !== 'string') return undefined;
    const definition = this.options.registry.resolve(raw.type);
    if (!definition) {
      const hints = this.options.registry.suggest(raw.type);
      this.error([...path, 'type'], `unknown task type '${raw.type}'${hints.length ? `; did you mean ${hints.map((h) => `'${h}'`).join(' or ')}?` : ''}`);
      return undefined;
    }
    // Task runs the task creates under itself (ForEachItem's `_split`...) are addressable in outputs.
    for (const suffix of definition.internalTaskSuffixes ?? []) {
      if (!id) break;
      const previous = this.taskIds.get(id + suffix);
      if (previous) this.error([...path, 'id'], `task id '${id}' makes '${id + suffix}' for its ${suffix.slice(1)} step, which is also the id at ${previous}`);
      else this.taskIds.set(id + suffix, `${this.taskIds.get(id)}${suffix}`);
    }
    const listKeys = new Set((definition.taskLists ?? []).map((l) => l.key));
    const ownProps = Object.fromEntries(Object.entries(raw).filter(([k]) => !COMMON_TASK_KEYS.has(k) && !listKeys.has(k)));
    const layers = [...(this.options.defaultLayers ?? []), { source: 'flow', defaults: this.pluginDefaults }];
    const { props, supplied } = explainPluginDefaults(raw.type, definition, ownProps, layers);
    if (supplied.length && id) this.supplied.push({ taskId: id, ...this.yaml.locate([...path, 'type'], true), properties: supplied });
    this.validateProps(definition, props, ownProps, path);
    // Flowable properties are evaluated by the workflow, with Baton's jq subset; runnable tasks
    // run the worker's real jq, which reports its own errors.
    this.checkExpressionSyntax(ownProps, path, definition.kind === 'flowable');
    if (typeof raw.runIf === 'string') this.checkExpressionSyntax({ runIf: raw.runIf }, path, true);
    this.checkLocks(raw.locks, [...path, 'locks']);
    const compensate = this.validateCompensate(raw.compensate, [...path, 'compensate']);

    const children: Record<string, TaskSpec[]> = {};
    for (const list of definition.taskLists ?? []) {
      const value = raw[list.key];
      if (value === undefined) continue;
      if (list.shape === 'list') {
        children[list.key] = this.validateTaskList(value, [...path, list.key]);
      } else if (list.shape === 'dag') {
        children[list.key] = this.validateDagList(value, [...path, list.key]);
      } else if (!isRecord(value)) {
        this.error([...path, list.key], `'${list.key}' must map each value to a list of tasks`);
      } else {
        for (const [caseKey, tasks] of Object.entries(value)) {
          children[`${list.key}.${caseKey}`] = this.validateTaskList(tasks, [...path, list.key, caseKey]);
        }
      }
    }
    if (!parsed.success || !id) return undefined;
    const c = parsed.data;
    return {
      id,
      type: raw.type,
      pluginId: definition.id,
      kind: definition.kind,
      props,
      children: Object.keys(children).length ? children : undefined,
      description: c.description,
      timeout: c.timeout,
      retry: c.retry,
      disabled: c.disabled,
      allowFailure: c.allowFailure,
      allowWarning: c.allowWarning,
      runIf: c.runIf,
      workerGroup: c.workerGroup?.key,
      logLevel: c.logLevel,
      activity: definition.activity,
      ...(compensate?.length ? { compensate } : {}),
      ...(c.locks?.length ? { locks: c.locks } : {}),
      ...(c.lockTimeout ? { lockTimeout: c.lockTimeout } : {}),
    };
  }

  /** Lock keys are rendered in the workflow (with Baton's jq subset), so their syntax is checked now. */
  private checkLocks(value: unknown, path: PathSegment[]) {
    if (Array.isArray(value)) this.checkExpressionSyntax(value, path, true);
  }

  /**
   * `compensate`: one task or a list, validated like any task (their ids are unique in the flow
   * too). Only tasks under `tasks` declare it, and a compensation has none of its own.
   */
  private validateCompensate(value: unknown, path: PathSegment[]): TaskSpec[] | undefined {
    if (value === undefined) return undefined;
    if (this.branch !== 'tasks') {
      const where = this.branch === 'compensate' ? 'a compensation task' : `a task of '${this.branch}'`;
      this.error(path, `${where} cannot declare compensate: only tasks under 'tasks' are undone (docs/compensation.md)`, true);
      return undefined;
    }
    if (!Array.isArray(value) && !isRecord(value)) {
      this.error(path, 'compensate is a task (a mapping with id and type) or a list of tasks that undo this one');
      return undefined;
    }
    this.branch = 'compensate';
    try {
      return Array.isArray(value) ? this.validateTaskList(value, path) : [this.validateTask(value, path)].filter((t): t is TaskSpec => !!t);
    } finally {
      this.branch = 'tasks';
    }
  }

  /**
   * Kestra's Dag: `[{task, dependsOn}]`. Each task is validated like any other and keeps its
   * `dependsOn`; a dependency must name a task of the same Dag and there is no cycle (Kestra's
   * DagTaskValidator, same messages).
   */
  private validateDagList(value: unknown, path: PathSegment[]): TaskSpec[] {
    if (!Array.isArray(value)) {
      this.error(path, `'${String(path[path.length - 1])}' must be a list of {task, dependsOn} entries`);
      return [];
    }
    if (!value.length) this.error(path, 'No task defined');
    const entries: { spec?: TaskSpec; id?: string; dependsOn: string[]; at: PathSegment[] }[] = [];
    value.forEach((raw, i) => {
      const at = [...path, i];
      if (!isRecord(raw) || !isRecord(raw.task)) {
        this.error(at, 'a Dag entry is a mapping {task: {id, type, ...}, dependsOn: [task ids]}');
        return;
      }
      for (const key of Object.keys(raw))
        if (key !== 'task' && key !== 'dependsOn') this.error([...at, key], `unknown property '${key}' of a Dag entry (it has task and dependsOn)`, true);
      let dependsOn: string[] = [];
      if (raw.dependsOn !== undefined && raw.dependsOn !== null) {
        if (!Array.isArray(raw.dependsOn) || raw.dependsOn.some((d) => typeof d !== 'string')) this.error([...at, 'dependsOn'], 'dependsOn is a list of task ids');
        else dependsOn = raw.dependsOn as string[];
      }
      const spec = this.validateTask(raw.task, [...at, 'task']);
      const id = typeof raw.task.id === 'string' ? raw.task.id : undefined;
      entries.push({ spec, id, dependsOn, at });
    });
    const ids = new Set(entries.map((e) => e.id).filter((id): id is string => !!id));
    for (const entry of entries) {
      entry.dependsOn.forEach((dep, j) => {
        if (ids.has(dep)) return;
        const hint = closest(dep, ids);
        this.error([...entry.at, 'dependsOn', j], `Not existing task id in dependency: ${dep}${hint ? `; did you mean '${hint}'?` : ''}`);
      });
    }
    const cyclic = dagCycles(entries.flatMap((e) => (e.id ? [{ id: e.id, dependsOn: e.dependsOn }] : [])));
    if (cyclic.length) {
      const first = entries.find((e) => e.id === cyclic[0])!;
      this.error([...first.at, 'dependsOn'], `Cyclic dependency detected: ${cyclic.join(', ')}`);
    }
    return entries.flatMap((e) => (e.spec ? [e.dependsOn.length ? { ...e.spec, dependsOn: e.dependsOn } : e.spec] : []));
  }

  private validateProps(definition: PluginDefinition, props: Record<string, unknown>, own: Record<string, unknown>, path: PathSegment[]) {
    const schema = definition.props as z.ZodType;
    const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : undefined;
    if (shape) {
      const allowed = Object.keys(shape);
      for (const key of Object.keys(own)) {
        if (key in shape) continue;
        const hint = closest(key, [...allowed, ...COMMON_TASK_KEYS]);
        this.error([...path, key], `unknown property '${key}' for ${definition.id}${hint ? `; did you mean '${hint}'?` : ''}`, true);
      }
    }
    const checked = shape ? Object.fromEntries(Object.entries(props).filter(([k]) => k in shape)) : props;
    // Kestra's coercion: `message: 42` is the text "42" (parseProps converts only what was refused).
    const result = parseProps(schema, checked);
    if (!result.success) {
      this.zodErrors(
        result.error.issues.filter((i) => i.code !== 'unrecognized_keys'),
        path,
        checked,
      );
    }
  }

  private checkExpressionSyntax(value: unknown, path: PathSegment[], jqSubset = false) {
    if (typeof value === 'string') {
      if (!value.includes('{{') && !value.includes('{%')) return;
      for (const problem of checkSyntax(value, { jqSubset })) {
        const base = this.yaml.scalarOffset(path);
        const where = base !== undefined ? this.yaml.position(base + problem.offset) : this.yaml.locate(path);
        // Quoted scalars shift by the quote; the line is what matters most to a person.
        this.errors.push({ path: path.join('.'), ...where, message: `expression error: ${problem.message}` });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => this.checkExpressionSyntax(v, [...path, i], jqSubset));
    } else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) this.checkExpressionSyntax(v, [...path, k], jqSubset);
    }
  }

  /** `outputs.<task>` must name a task of this flow and `inputs.<id>` a declared input. */
  private checkReferences(doc: Record<string, unknown>) {
    const walk = (value: unknown, path: PathSegment[]) => {
      if (typeof value === 'string' && value.includes('{{')) {
        let refs: string[][] = [];
        try {
          refs = findReferences(value);
        } catch {
          return; // syntax errors are reported by checkExpressionSyntax
        }
        for (const ref of refs) {
          if (ref[0] === 'outputs' && ref[1] && !this.taskIds.has(ref[1])) {
            const hint = closest(ref[1], this.taskIds.keys());
            this.error(path, `outputs.${ref[1]} refers to no task of this flow${hint ? `; did you mean '${hint}'?` : ''}`);
          }
          if (
            ref[0] === 'inputs' &&
            ref[1] &&
            !this.inputIds.has(ref[1]) &&
            !this.inputRoots.has(ref[1]) &&
            !value.includes('default') &&
            !value.includes('??') &&
            !value.includes('defined')
          ) {
            const hint = closest(ref[1], this.inputIds);
            this.error(path, `inputs.${ref[1]} is not a declared input${hint ? `; did you mean '${hint}'?` : ''}`);
          }
        }
      } else if (Array.isArray(value)) {
        value.forEach((v, i) => walk(v, [...path, i]));
      } else if (isRecord(value)) {
        for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      }
    };
    for (const key of ['tasks', 'errors', 'finally', 'outputs', 'variables'] as const) walk(doc[key], [key]);
  }
}

/** Ids of the Dag tasks that can reach themselves through dependsOn, in declaration order. */
export function dagCycles(tasks: { id: string; dependsOn: string[] }[]): string[] {
  const deps = new Map(tasks.map((t) => [t.id, t.dependsOn]));
  return tasks
    .filter(({ id }) => {
      const seen = new Set<string>();
      const stack = [...(deps.get(id) ?? [])];
      while (stack.length) {
        const current = stack.pop()!;
        if (current === id) return true;
        if (seen.has(current)) continue;
        seen.add(current);
        stack.push(...(deps.get(current) ?? []));
      }
      return false;
    })
    .map((t) => t.id);
}

/** Zod says only "Invalid input" for a union: say what the property takes and what it got. */
function unionMessage(name: string, value: unknown, issue: z.core.$ZodIssue): string {
  const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
  const expected = [
    ...new Set(
      branches
        .flat()
        .filter((i) => i.code === 'invalid_type')
        .map((i) => String((i as { expected?: unknown }).expected)),
    ),
  ];
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a map' : typeof value;
  return expected.length ? `'${name}' takes ${expected.join(' or ')}, not ${got}` : `'${name}' has a value this property does not take (${got})`;
}
