// The vSphere event trigger's worker side: one poll reads the events after the checkpoint from the
// server's EventManager (an event history collector filtered by time) and says which deserve an
// execution. Everything it knows lives in the checkpoint, so a poll retried after a crash, or run
// by another worker after a restart, reaches the same events with the same keys (the engine derives
// execution ids from them: one execution per event, whatever restarts).
import { PluginError, type PollEvent, type PollResult, type PollingTriggerRuntime } from '@baton/plugin-sdk';
import { EVENT_TYPES, vmwareTriggerDefinition } from './definitions/trigger';
import { readProps, withClient } from './session';
import type { VimClient } from './vim/client';
import { moRefOf } from './vim/soap';
import { child, childrenNamed, element, textAt, type XmlElement } from './vim/xml';
import type { z } from '@baton/plugin-sdk';

export interface VsphereEventCheckpoint {
  /** The highest event key seen (keys grow on a server). */
  lastKey: number;
  /** Its creation time: the next poll asks for events from there (inclusive). */
  lastTime?: string;
}

export interface VsphereEvent {
  key: number;
  vsphereType: string;
  createdTime: string;
  vmName?: string;
  vmId?: string;
  message: string;
  userName: string;
}

const PAGE = 1000;
const KESTRA_BY_CLASS = Object.fromEntries(Object.entries(EVENT_TYPES).map(([k, v]) => [v, k]));

export function parseEvent(el: XmlElement): VsphereEvent {
  const vm = child(el, 'vm');
  return {
    key: Number(textAt(el, 'key')),
    vsphereType: el.attrs.type ?? el.name,
    createdTime: textAt(el, 'createdTime') ?? '',
    vmName: textAt(vm, 'name'),
    vmId: moRefOf(child(vm, 'vm'))?.value,
    message: textAt(el, 'fullFormattedMessage') ?? '',
    userName: textAt(el, 'userName') ?? '',
  };
}

/** Events at or after `since` (all of them without), oldest first, through a collector destroyed after. */
export async function readEvents(client: VimClient, since: string | undefined): Promise<VsphereEvent[]> {
  const manager = client.content.eventManager;
  if (!manager) throw new PluginError('CONFLICT', `${client.transport.endpoint} has no EventManager`, { retryable: false });
  const filter = `<filter>${since ? `<time>${element('beginTime', since)}</time>` : ''}${element('maxCount', PAGE)}</filter>`;
  const collector = moRefOf(child(await client.call('CreateCollectorForEvents', manager, filter), 'returnval'))!;
  try {
    const page = (await client.objectProps(collector, ['latestPage'])).get('latestPage');
    // latestPage is an ArrayOfEvent: its children are the events.
    const items = page ? (page.children.length && page.children.every((c) => c.name === 'Event') ? page.children : childrenNamed(page, 'Event')) : [];
    return items.map(parseEvent).sort((a, b) => a.key - b.key);
  } finally {
    await client.call('DestroyCollector', collector).catch(() => undefined);
  }
}

export interface EventFilter {
  kestraTypes?: Set<string>;
  vmName?: RegExp;
}

/** One poll's decision, pure: the events read now against the checkpoint. */
export function decideEvents(checkpoint: VsphereEventCheckpoint | undefined, events: VsphereEvent[], filter: EventFilter, server: string): PollResult<VsphereEventCheckpoint> {
  const last = events.at(-1);
  if (!checkpoint) {
    return {
      events: [],
      checkpoint: { lastKey: last?.key ?? 0, lastTime: last?.createdTime },
      note: `first poll: the event log stands at key ${last?.key ?? 0}; later events fire`,
    };
  }
  const fresh = events.filter((e) => e.key > checkpoint.lastKey);
  const fired: PollEvent[] = [];
  for (const e of fresh) {
    const eventType = KESTRA_BY_CLASS[e.vsphereType];
    if (!eventType || !e.vmName) continue;
    if (filter.kestraTypes && !filter.kestraTypes.has(eventType)) continue;
    if (filter.vmName && !filter.vmName.test(e.vmName)) continue;
    fired.push({
      key: `${server}#${e.key}`,
      summary: `${e.vmName}: ${eventType} (${e.message || e.vsphereType})`,
      variables: {
        eventType,
        vmName: e.vmName,
        vmId: e.vmId,
        timestamp: e.createdTime,
        key: e.key,
        vsphereType: e.vsphereType,
        message: e.message,
        userName: e.userName,
        events: [{ vmName: e.vmName, eventType, timestamp: e.createdTime }],
      },
    });
  }
  const newest = fresh.at(-1);
  const next = newest ? { lastKey: newest.key, lastTime: newest.createdTime } : checkpoint;
  const notes: string[] = [];
  if (events.length >= PAGE) notes.push(`${PAGE} events in one poll: older ones may have been skipped; lower the interval`);
  if (!fired.length) notes.push(fresh.length ? `${fresh.length} new event(s), none matching eventTypes/vmNameRegex` : 'no new event');
  return { events: fired, checkpoint: next, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

type TriggerProps = z.output<typeof vmwareTriggerDefinition.props>;

export const vmwareTriggerRuntime: PollingTriggerRuntime<TriggerProps, VsphereEventCheckpoint> = {
  id: vmwareTriggerDefinition.id,
  async poll(raw, checkpoint, { signal }) {
    const props = readProps(vmwareTriggerDefinition.props, raw, vmwareTriggerDefinition.id);
    // A minimal task context for the connection helper: the trigger has no execution to log into.
    const ctx = { signal, logger: { debug() {}, info() {}, warn() {}, error() {} } } as never;
    return withClient(ctx, props, async (client) => {
      const events = await readEvents(client, checkpoint?.lastTime);
      return decideEvents(
        checkpoint,
        events,
        { kestraTypes: props.eventTypes ? new Set(props.eventTypes) : undefined, vmName: props.vmNameRegex ? new RegExp(props.vmNameRegex) : undefined },
        `${props.server}:${props.port}`,
      );
    });
  },
};
