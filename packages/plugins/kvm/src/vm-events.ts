// VmEventTrigger's worker side: one poll compares the domains' states now with what the trigger
// remembers (the checkpoint, kept by the engine) and says which transitions deserve an execution.
// Everything the trigger knows lives in the checkpoint, so a poll retried after a crash, or run by
// another worker after a restart, reaches the same events with the same keys (the engine derives
// the execution ids from them: one execution per transition, whatever restarts).
import { DEFAULT_POLL_INTERVAL, parseDuration, type PollEvent, type PollResult, type PollingTriggerRuntime } from '@baton/plugin-sdk';
import { domainStateName } from './definitions/trigger';
import { LibvirtClient, type DomainSummary, type LifecycleEvent } from './libvirt/client';
import type { RemoteCredentials } from './libvirt/transport';
import { lifecycleDetailName, lifecycleEventName, stateAfterEvent } from './lifecycle-events';
import { pollDomainStates } from './states';

/** What the trigger remembers of one domain. */
export interface DomainMemory {
  name: string;
  /** The state the last event (or the first sighting) established: transitions are measured from it. */
  state: string;
  /** The state seen at the last poll (differs from `state` while a debounce runs or a domain flaps). */
  seen: string;
  /** Events raised for this domain so far: with the UUID, the key of the next one. */
  seq: number;
  /** A new state waiting for the debounce: since when it has been seen. */
  pending?: { state: string; since: number };
  /** When the state changed (epoch ms), within the flap window. */
  changes: number[];
  flapping?: boolean;
}

export interface VmEventCheckpoint {
  domains: Record<string, DomainMemory>;
}

export interface VmEventOptions {
  /** Full state names (VIR_DOMAIN_SHUTOFF) transitions must lead into; undefined: all. */
  states?: Set<string>;
  debounceMs: number;
  /** 0: no flap detection. */
  flapThreshold: number;
  flapWindowMs: number;
}

/** A domain as one observation saw it: a listing, or a lifecycle event (which says which). */
export type ObservedDomain = DomainSummary & { libvirtEvent?: string; libvirtDetail?: string };

/** VIR_DOMAIN_SHUTOFF_CRASHED: QEMU went away without a shutdown. */
const SHUTOFF_CRASHED = 3;
/** VIR_DOMAIN_PAUSED_STARTING_UP: libvirt starts QEMU with its CPUs paused, for an instant. */
const PAUSED_STARTING_UP = 11;

/**
 * One poll's decision, pure: the domains listed now against the checkpoint. Returns the events to
 * start and the checkpoint to keep; `notes` say why nothing fired (the Triggers page shows them).
 */
export function detectVmEvents(
  checkpoint: VmEventCheckpoint | undefined,
  domains: ObservedDomain[],
  options: VmEventOptions,
  now: number,
): PollResult<VmEventCheckpoint> & { notes: string[] } {
  const notes: string[] = [];
  const events: PollEvent[] = [];
  const previous = checkpoint?.domains ?? {};
  const next: Record<string, DomainMemory> = {};
  if (!checkpoint) notes.push(`first poll: ${domains.length} domain(s) recorded`);
  for (const d of domains) {
    const old = previous[d.uuid];
    if (!old) {
      next[d.uuid] = { name: d.name, state: d.state, seen: d.state, seq: 0, changes: [] };
      if (checkpoint) notes.push(`${d.name}: new domain recorded as ${d.state}`);
      continue;
    }
    const m: DomainMemory = { ...old, name: d.name, changes: [...old.changes] };
    next[d.uuid] = m;
    // Seen on the real daemon: a poll during `virsh start` finds the domain paused while starting
    // up. Not a state of its own: it would fire shut off → paused and count toward flapping.
    if (d.state === 'VIR_DOMAIN_PAUSED' && d.reason === PAUSED_STARTING_UP) {
      notes.push(`${d.name}: starting up`);
      continue;
    }
    if (d.state !== m.seen) {
      if (options.flapThreshold > 0) m.changes.push(now);
      m.seen = d.state;
    }
    m.changes = m.changes.filter((t) => now - t < options.flapWindowMs);
    const base = {
      name: d.name,
      uuid: d.uuid,
      reason: d.reason,
      crashed: d.state === 'VIR_DOMAIN_CRASHED' || (d.state === 'VIR_DOMAIN_SHUTOFF' && d.reason === SHUTOFF_CRASHED),
      // How the change was seen: a libvirt lifecycle event (with its type and detail) or a state listing.
      source: d.libvirtEvent ? 'event' : 'poll',
      ...(d.libvirtEvent ? { libvirtEvent: d.libvirtEvent, libvirtDetail: d.libvirtDetail } : {}),
    };

    if (m.flapping) {
      if (m.changes.length === 0) {
        // Quiet for a whole window: the domain is watched normally again, from its state now.
        m.flapping = false;
        m.state = d.state;
        notes.push(`${d.name}: stopped flapping, settled in ${d.state}`);
      } else notes.push(`${d.name}: flapping, transitions not fired until it is quiet for the flap window`);
      continue;
    }
    if (options.flapThreshold > 0 && m.changes.length >= options.flapThreshold) {
      m.flapping = true;
      m.seq += 1;
      m.pending = undefined;
      events.push({
        key: `${d.uuid}#${m.seq}`,
        summary: `${d.name} is flapping: ${m.changes.length} state changes within ${options.flapWindowMs / 1000} s (now ${d.state})`,
        variables: {
          event: 'flapping',
          ...base,
          previousState: m.state,
          state: d.state,
          transitions: m.changes.length,
          date: new Date(now).toISOString(),
          detectedAt: new Date(now).toISOString(),
        },
      });
      m.state = d.state;
      continue;
    }
    if (d.state === m.state) {
      if (m.pending) notes.push(`${d.name}: ${m.pending.state} flipped back to ${d.state} within the debounce; nothing fired`);
      m.pending = undefined;
      continue;
    }
    // A state different from the established one.
    if (!m.pending || m.pending.state !== d.state) m.pending = { state: d.state, since: now };
    if (now - m.pending.since < options.debounceMs) {
      notes.push(`${d.name}: ${m.state} → ${d.state} waits for the debounce`);
      continue;
    }
    const since = m.pending.since;
    const from = m.state;
    m.state = d.state;
    m.pending = undefined;
    if (options.states && !options.states.has(d.state)) {
      notes.push(`${d.name}: ${from} → ${d.state} is not a transition into the states watched`);
      continue;
    }
    m.seq += 1;
    events.push({
      key: `${d.uuid}#${m.seq}`,
      summary: `${d.name} ${from} → ${d.state}`,
      variables: { event: 'transition', ...base, previousState: from, state: d.state, date: new Date(since).toISOString(), detectedAt: new Date(now).toISOString() },
    });
  }
  for (const [uuid, m] of Object.entries(previous)) if (!next[uuid]) notes.push(`${m.name}: no longer defined`);
  return { events, checkpoint: { domains: next }, notes, ...(events.length ? {} : { note: notes.join('; ') || 'no transition' }) };
}

/**
 * Several observations in order — the listing at the start of a poll, the lifecycle events received
 * while it listened, the listing at its end — folded into one poll result, each through
 * detectVmEvents from the checkpoint the previous one left. Pure: the same inputs give the same
 * events and keys. An event only moves the domain it names; the others keep their listed state.
 * DEFINED/UNDEFINED/SHUTDOWN change no state: the final listing records new and removed domains.
 */
export function foldObservations(
  checkpoint: VmEventCheckpoint | undefined,
  first: { domains: DomainSummary[]; at: number },
  lifecycle: LifecycleEvent[],
  last: { domains: DomainSummary[]; at: number } | undefined,
  options: VmEventOptions,
  names?: RegExp,
): PollResult<VmEventCheckpoint> & { notes: string[] } {
  const events: PollEvent[] = [];
  const notes: string[] = [];
  const step = (domains: ObservedDomain[], at: number) => {
    const result = detectVmEvents(checkpoint, domains, options, at);
    checkpoint = result.checkpoint;
    events.push(...result.events);
    notes.push(...result.notes);
  };
  step(first.domains, first.at);
  const current = new Map<string, ObservedDomain>(first.domains.map((d) => [d.uuid, d]));
  for (const e of lifecycle) {
    const known = current.get(e.uuid);
    const after = stateAfterEvent(e.event, e.detail);
    if (!known || !after || (names && !names.test(e.name))) continue;
    current.set(e.uuid, {
      ...known,
      name: e.name,
      state: after.state,
      reason: after.reason,
      libvirtEvent: lifecycleEventName(e.event),
      libvirtDetail: lifecycleDetailName(e.event, e.detail),
    });
    step([...current.values()], e.at);
  }
  if (last) step(last.domains, last.at);
  const unique = [...new Set(notes)];
  return { events, checkpoint: checkpoint!, notes: unique, ...(events.length ? {} : { note: unique.join('; ') || 'no transition' }) };
}

export type VmEventTriggerProps = {
  uri: string;
  name?: string;
  namePattern?: string;
  interval?: string;
  states?: string[];
  debounce?: string;
  flapThreshold?: number;
  flapWindow?: string;
  /** false: poll only, never subscribe to lifecycle events. */
  events?: boolean;
} & RemoteCredentials;

export function vmEventOptions(props: VmEventTriggerProps): VmEventOptions {
  return {
    states: props.states?.length ? new Set(props.states.map((s) => domainStateName(s) ?? s)) : undefined,
    debounceMs: parseDuration(props.debounce ?? 'PT0S') ?? 0,
    flapThreshold: props.flapThreshold ?? 5,
    flapWindowMs: parseDuration(props.flapWindow ?? 'PT10M') ?? 600_000,
  };
}

/**
 * How long one poll listens for events at most: the trigger's interval, capped well inside the
 * poll activity's 2-minute start-to-close timeout.
 */
export const MAX_LISTEN_MS = 60_000;
/** After the first event, how long to keep listening for the ones that follow it (a crash then a restart). */
export const SETTLE_MS = 250;

/** Resolves when `settleMs` has passed after the first event, after `windowMs` without one, or on abort. */
function listen(received: () => number, windowMs: number, settleMs: number, signal: AbortSignal, onEvent: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(window);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const window = setTimeout(finish, windowMs);
    signal.addEventListener('abort', finish, { once: true });
    const wake = () => setTimeout(finish, settleMs);
    if (received() > 0) wake();
    else onEvent(wake);
  });
}

export const vmEventTriggerRuntime: PollingTriggerRuntime<VmEventTriggerProps, VmEventCheckpoint> = {
  id: 'kvm.VmEventTrigger',
  async poll(props, checkpoint, { now, signal }) {
    const names = props.name !== undefined ? new RegExp(`^${props.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : props.namePattern ? new RegExp(props.namePattern) : undefined;
    const options = vmEventOptions(props);
    if (props.events === false) {
      const snapshot = await pollDomainStates(props.uri, { signal, names, credentials: props });
      const { events, checkpoint: next, note } = detectVmEvents(checkpoint, snapshot.domains, options, now.getTime());
      return { events, checkpoint: next, note };
    }
    // Events: subscribe first, then list (so nothing falls between the two), listen for the
    // interval, list again. The checkpoint stays the source of truth: the first listing catches
    // whatever happened while nobody listened (Baton down, between two polls).
    const client = await LibvirtClient.connect(props.uri, { signal, callTimeoutMs: 30_000, credentials: props });
    try {
      const received: LifecycleEvent[] = [];
      let wake: (() => void) | undefined;
      let unsubscribe: (() => Promise<void>) | undefined;
      let unavailable: string | undefined;
      try {
        unsubscribe = await client.subscribeLifecycle((e) => {
          if (names && !names.test(e.name)) return;
          received.push(e);
          wake?.();
          wake = undefined;
        });
      } catch (error) {
        // An old daemon, a driver without events, a proxy that filters them: poll instead.
        unavailable = (error as Error).message;
      }
      const filter = (list: DomainSummary[]) => (names ? list.filter((d) => names.test(d.name)) : list);
      const first = { domains: filter(await client.listAll()), at: now.getTime() };
      if (!unsubscribe) {
        const result = detectVmEvents(checkpoint, first.domains, options, first.at);
        const why = `polled: lifecycle events unavailable (${unavailable})`;
        return { events: result.events, checkpoint: result.checkpoint, note: result.note ? `${result.note}; ${why}` : why };
      }
      const windowMs = Math.min(MAX_LISTEN_MS, Math.max(1_000, parseDuration(props.interval ?? DEFAULT_POLL_INTERVAL) ?? 60_000));
      await listen(
        () => received.length,
        windowMs,
        SETTLE_MS,
        signal,
        (w) => (wake = w),
      );
      const events = [...received];
      await unsubscribe();
      if (signal.aborted) throw new Error('the poll was cancelled');
      const last = { domains: filter(await client.listAll()), at: Date.now() };
      const result = foldObservations(checkpoint, first, events, last, options);
      return { events: result.events, checkpoint: result.checkpoint, note: result.note, listened: true };
    } finally {
      await client.close();
    }
  },
};
