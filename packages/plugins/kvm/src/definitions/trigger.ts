// The VM event trigger's definition (zod only: the web app validates flows with it). How it polls
// and what it remembers: ../vm-events.ts; how the engine runs any polling trigger: docs/triggers.md.
import { defineTrigger, z } from '@baton/plugin-sdk';
import { DOMAIN_STATES, GROUP, KESTRA_PREFIX, credentialShape, isoDuration, uriProp } from './common';

/** `running`, `shut off`, `VIR_DOMAIN_SHUTOFF`... → `VIR_DOMAIN_SHUTOFF`; undefined when it is no state. */
export function domainStateName(text: string): string | undefined {
  const key = text
    .trim()
    .toUpperCase()
    .replace(/^VIR_DOMAIN_/, '')
    .replace(/[\s_-]+/g, '');
  const aliases: Record<string, string> = { SHUTOFF: 'SHUTOFF', STOPPED: 'SHUTOFF', INSHUTDOWN: 'SHUTDOWN', SUSPENDED: 'PAUSED', IDLE: 'BLOCKED' };
  const found = DOMAIN_STATES.find((s) => s.replace(/^VIR_DOMAIN_/, '').replace(/_/g, '') === key) ?? (aliases[key] ? `VIR_DOMAIN_${aliases[key]}` : undefined);
  return found;
}

const stateProp = z.string().refine((v) => domainStateName(v) !== undefined, {
  message: `not a domain state; use one of ${DOMAIN_STATES.join(', ')} (or running, paused, shutoff, crashed)`,
});

const namePattern = z.string().refine(
  (v) => {
    try {
      new RegExp(v);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'namePattern is a regular expression (JavaScript syntax), e.g. ^web-[0-9]+$' },
);

export const vmEventTriggerDefinition = defineTrigger({
  id: 'kvm.VmEventTrigger',
  aliases: [`${KESTRA_PREFIX}.VmEventTrigger`],
  group: GROUP,
  kind: 'polling',
  title: 'Start the flow when a VM changes state',
  description: [
    "Watches the domains of a libvirt connection and starts one execution per **state transition** (running → shut off, shut off → running, paused, crashed...), never one per poll as Kestra's trigger does.",
    '',
    '- It polls every `interval` (virConnectListAllDomains on a short-lived connection; libvirt lifecycle events are not used yet). The last known state of each domain is kept durably by Baton: after a restart of Baton (or of the worker that polls) a transition that happened meanwhile fires once, and nothing fires twice.',
    '- The first poll only records the states it finds; so does the first poll after the trigger is re-enabled, and a domain that appears later.',
    '- `name` (one domain) or `namePattern` (a regular expression over names) narrows the domains; neither watches them all.',
    '- `states` keeps the transitions **into** these states (the others update what the trigger remembers without firing).',
    '- `debounce`: a new state must hold this long before it fires; a state that flips back within it fires nothing. Resolution: the interval.',
    '- Flap detection: `flapThreshold` state changes of one domain within `flapWindow` give **one** event with `trigger.event: flapping`, and no further event for that domain until it has been quiet for a whole window. `flapThreshold: 0` turns it off.',
    '- Put `workerGroup.key` on it to poll from the worker next to the hypervisor (`qemu:///system` is local to the worker).',
    '',
    'A domain that is killed (its QEMU process gone) is reported by libvirt as VIR_DOMAIN_SHUTOFF with reason crashed: `trigger.crashed` is true then, as for VIR_DOMAIN_CRASHED.',
  ].join('\n'),
  props: z.object({
    uri: uriProp,
    ...credentialShape,
    name: z.string().min(1).optional().describe('Watch only this domain'),
    namePattern: namePattern.optional().describe('Watch the domains whose name matches this regular expression, e.g. `^(web-1|web-2|db-1)$`'),
    interval: isoDuration.optional().describe('How often to poll (ISO-8601, default PT60S, at least 1 s); with events, how long one listening period lasts (at most 60 s)'),
    events: z.boolean().optional().describe("Use libvirt's lifecycle events (default true; falls back to polling where the connection refuses them). false: poll only"),
    states: z
      .array(stateProp)
      .optional()
      .describe('Fire only on transitions into these states: VIR_DOMAIN_SHUTOFF or shutoff, crashed, running, paused... (default: every transition)'),
    debounce: isoDuration.optional().describe('A new state must last this long before the trigger fires; a flip back within it fires nothing (default PT0S)'),
    flapThreshold: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('This many state changes of one domain within flapWindow raise one `flapping` event instead of one per change (default 5; 0 turns flap detection off)'),
    flapWindow: isoDuration.optional().describe('The window of flap detection (default PT10M)'),
    inputs: z.record(z.string(), z.unknown()).optional().describe('Inputs of the execution it starts (rendered with the `trigger` variables)'),
  }),
  variables: {
    event: '`transition`, or `flapping` when flap detection raised the event',
    name: 'the domain name',
    uuid: 'the domain UUID',
    previousState: 'the state before the transition (VIR_DOMAIN_RUNNING, ...)',
    state: 'the state now',
    crashed: 'true when the domain crashed (VIR_DOMAIN_CRASHED, or shut off with reason crashed)',
    reason: "libvirt's numeric state reason",
    date: 'when the new state was first seen (ISO-8601)',
    detectedAt: 'when the trigger decided to fire (after the debounce)',
    transitions: 'flapping only: the state changes counted in the window',
    source: '`event` (seen by a libvirt lifecycle event) or `poll` (by a state listing)',
    libvirtEvent: "event only: libvirt's event type (STARTED, STOPPED, SUSPENDED, RESUMED, CRASHED...)",
    libvirtDetail: 'event only: its detail (BOOTED, DESTROYED, CRASHED, SHUTDOWN, PAUSED...)',
  },
  examples: [
    {
      title: 'Log every VM that stops or crashes',
      flow: `id: vm-watch
namespace: infra.kvm
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.name }} went from {{ trigger.previousState }} to {{ trigger.state }} at {{ trigger.date }}"
triggers:
  - id: vm-down
    type: io.kestra.plugin.kvm.VmEventTrigger
    uri: "{{ secret('KVM_URI') }}"
    namePattern: "^web-[0-9]+$"
    interval: PT10S
    states: [VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_CRASHED]
    debounce: PT20S
    workerGroup:
      key: kvm-host-1
`,
    },
  ],
});
