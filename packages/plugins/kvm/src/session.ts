// What every KVM task runtime shares: a connection bound to the task's AbortSignal, the domain XML
// check, and the state wait that heartbeats and resumes after a worker restart.
import { PluginError, formatDuration, isPluginError, parseDuration, remainingMs, waitBudget, z, type TaskContext } from '@baton/plugin-sdk';
import { LibvirtClient, stateName } from './libvirt/client';
import { isLibvirtError, VirErr } from './libvirt/errors';
import type { RemoteCredentials } from './libvirt/transport';
import { DomainState, STATE_NAMES, uuidToString, type DomainRef } from './libvirt/protocol';
import { checkDomainXml, formatProblems } from './xml/domain-xml';
import { validateWithRelaxNg } from './xml/relaxng';

/** Parses props with the task's schema (defaults applied even when a caller passes raw values). */
export function readProps<S extends z.ZodType>(schema: S, raw: unknown, taskType: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new PluginError('INVALID_PROPERTIES', `invalid properties for ${taskType}:\n${z.prettifyError(result.error)}`, { retryable: false });
  return result.data;
}

/** Opens the connection for one task, closes it afterwards; a kill closes it at once. */
export async function withClient<T>(ctx: TaskContext<unknown>, props: { uri: string } & RemoteCredentials, work: (client: LibvirtClient) => Promise<T>): Promise<T> {
  const client = await LibvirtClient.connect(props.uri, { signal: ctx.signal, credentials: props, onWarning: (message) => ctx.logger.warn(message) });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** The domain, or undefined when it does not exist. */
export async function findDomain(client: LibvirtClient, name: string): Promise<DomainRef | undefined> {
  try {
    return await client.lookupByName(name);
  } catch (error) {
    if (isLibvirtError(error, VirErr.NO_DOMAIN)) return undefined;
    throw error;
  }
}

export async function vmSummary(client: LibvirtClient, dom: DomainRef) {
  const state = await client.getState(dom);
  return { name: dom.name, uuid: uuidToString(dom.uuid), state: state.name };
}

/**
 * Checks a domain definition before it is sent: syntax and essentials here (line and column), then
 * libvirt's RelaxNG schema where the worker has xmllint and the schema. The XML's name must be the
 * task's `name`.
 */
export async function checkXml(ctx: TaskContext<unknown>, xml: string, expectedName: string): Promise<{ uuid?: string }> {
  const checked = checkDomainXml(xml);
  if (!checked.problems.length && checked.name !== expectedName) {
    const nameLine = xml.split('\n').findIndex((l) => l.includes('<name>')) + 1;
    checked.problems.push({ line: nameLine || 1, column: 1, message: `<name>${checked.name}</name> differs from the task's name '${expectedName}'; make them equal` });
  }
  if (checked.problems.length)
    throw new PluginError('INVALID_PROPERTIES', `xmlDefinition is not a valid domain definition:\n${formatProblems(checked.problems)}`, { retryable: false });
  const schema = await validateWithRelaxNg(xml);
  if (!schema.checked) ctx.logger.info(`domain XML checked for syntax and essentials only: ${schema.skippedBecause}`);
  else if (schema.problems.length) {
    throw new PluginError('INVALID_PROPERTIES', `xmlDefinition does not match libvirt's schema (${schema.schema}):\n${formatProblems(schema.problems)}`, { retryable: false });
  } else ctx.logger.debug(`domain XML valid against ${schema.schema}`);
  return { uuid: checked.uuid };
}

/**
 * Defines (creates or updates) a domain. libvirt identifies a domain by UUID: XML without `<uuid>`
 * for an existing name would get a fresh one and be refused, so the existing UUID is put in; a
 * `<uuid>` that differs from the existing domain's is a conflict with advice.
 */
export async function defineDomain(client: LibvirtClient, xml: string, name: string, xmlUuid: string | undefined): Promise<{ dom: DomainRef; existed: boolean }> {
  const existing = await findDomain(client, name);
  const withUuid = existing && !xmlUuid ? xml.replace(/<\/name>/, `</name>\n  <uuid>${uuidToString(existing.uuid)}</uuid>`) : xml;
  try {
    return { dom: await client.defineXml(withUuid, name), existed: !!existing };
  } catch (error) {
    // "domain 'x' already exists with uuid ...": same name, another UUID.
    if (isLibvirtError(error, VirErr.OPERATION_FAILED) && /already exists/.test(error.message)) {
      throw new PluginError(
        'CONFLICT',
        `${error.message}. The <uuid> of xmlDefinition is not the UUID of the existing domain '${name}': drop <uuid> to update that domain, or delete it first (DeleteVm)`,
        { retryable: false },
      );
    }
    throw error;
  }
}

/** Accepts VIR_DOMAIN_RUNNING, RUNNING, running, "shut off" (virsh) and returns the state code. */
export function parseStateName(text: string): number {
  const key = text
    .trim()
    .toUpperCase()
    .replace(/^VIR_DOMAIN_/, '')
    .replace(/[\s_-]+/g, '');
  const aliases: Record<string, number> = { SHUTOFF: 5, STOPPED: 5, INSHUTDOWN: 4, SUSPENDED: 3, IDLE: 2 };
  const code = Object.entries(STATE_NAMES).find(([, n]) => n.replace(/^VIR_DOMAIN_/, '') === key)?.[0] ?? aliases[key];
  if (code === undefined) {
    throw new PluginError('INVALID_PROPERTIES', `"${text}" is not a domain state; use one of ${Object.values(STATE_NAMES).join(', ')} (or running, paused, shutoff, crashed)`, {
      retryable: false,
    });
  }
  return Number(code);
}

/** What a waiting task puts in its heartbeat: enough for the next attempt to resume the wait. */
export interface WaitHeartbeat {
  op: string;
  name: string;
  /** Epoch ms when the operation was issued (kept across attempts). */
  startedAt: number;
  state: string;
  elapsedMs: number;
}

/**
 * When the previous attempt of this task run issued `op` on this domain and then died waiting (a
 * worker restart), returns when it issued it: the new attempt waits instead of asking again.
 */
export function resumedStart(ctx: TaskContext<unknown>, op: string, name: string): number | undefined {
  const d = ctx.resumeDetails as Partial<WaitHeartbeat> | undefined;
  if (d && d.op === op && d.name === name && typeof d.startedAt === 'number') return d.startedAt;
  return undefined;
}

export interface StateWait {
  op: string;
  /** For messages: "start", "shutdown". */
  label: string;
  startedAt: number;
  target: number[];
  /** States that end the wait with an error (the domain will not get there by itself). */
  failOn: number[];
  timeToWait: string;
  /** Extra advice when the wait times out. */
  onTimeout?: string;
}

const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 2_000;

/**
 * Polls the domain state (0.1 s, doubling to 2 s) until it is one of `target`, heartbeating the
 * state and elapsed time. Fails at once on a `failOn` state; ends with TIMEOUT after `timeToWait`
 * (counted from `startedAt`, so a resumed wait does not start over) or just before the task
 * timeout; a kill ends it with CANCELLED.
 */
export async function waitForState(ctx: TaskContext<unknown>, client: LibvirtClient, dom: DomainRef, wait: StateWait): Promise<number> {
  const limitMs = parseDuration(wait.timeToWait) ?? 60_000;
  const budget = waitBudget(ctx, Math.max(0, wait.startedAt + limitMs - Date.now()));
  const want = wait.target.map(stateName).join(' or ');
  let delay = FIRST_POLL_MS;
  let last = -1;
  try {
    for (;;) {
      const { state, reason } = await client.getState(dom);
      const elapsedMs = Date.now() - wait.startedAt;
      if (state !== last) ctx.logger.info(`${wait.label} of ${dom.name}: ${stateName(state)} after ${formatDuration(elapsedMs)}`);
      last = state;
      if (wait.target.includes(state)) return state;
      if (wait.failOn.includes(state)) {
        throw new PluginError(
          'REMOTE_ERROR',
          `domain '${dom.name}' became ${stateName(state)} (reason ${reason}) while waiting for ${want} after the ${wait.label}; look at its log (/var/log/libvirt/qemu/${dom.name}.log)`,
          {
            retryable: false,
            details: { name: dom.name, state: stateName(state) },
          },
        );
      }
      const beat: WaitHeartbeat = { op: wait.op, name: dom.name, startedAt: wait.startedAt, state: stateName(state), elapsedMs };
      ctx.heartbeat(beat);
      const left = remainingMs(budget);
      if (left <= 0) {
        const bound = budget.reason === 'the task timeout' ? 'the task timeout' : `timeToWait ${wait.timeToWait}`;
        throw new PluginError(
          'TIMEOUT',
          `domain '${dom.name}' did not become ${want} within ${formatDuration(elapsedMs)} (${bound}); it is ${stateName(state)}.${wait.onTimeout ? ` ${wait.onTimeout}` : ''}`,
          { retryable: false, details: { name: dom.name, state: stateName(state) } },
        );
      }
      await ctx.sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, MAX_POLL_MS);
    }
  } catch (error) {
    if (isPluginError(error) && error.code === 'CANCELLED') {
      throw new PluginError(
        'CANCELLED',
        `waiting for the ${wait.label} of domain '${dom.name}' was cancelled (last state ${last < 0 ? 'unknown' : stateName(last)}); libvirt carries on with it`,
        {
          retryable: false,
        },
      );
    }
    throw error;
  }
}

export const RUNNING = DomainState.RUNNING;
export const ACTIVE_STATES: number[] = [DomainState.RUNNING, DomainState.BLOCKED, DomainState.PAUSED, DomainState.SHUTDOWN, DomainState.PMSUSPENDED, DomainState.CRASHED];
