// The vSphere event trigger's definition (zod only: the web app validates flows with it). How it polls
// and what it remembers: ../events.ts; how the engine runs any polling trigger: docs/triggers.md.
import { defineTrigger, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_ESXI, KESTRA_VCENTER, connectionShape, isoDuration } from './common';

/** Kestra's event type names and the vim25 event classes each stands for. */
export const EVENT_TYPES: Record<string, string> = {
  VM_CREATED: 'VmCreatedEvent',
  VM_REMOVED: 'VmRemovedEvent',
  VM_POWERED_ON: 'VmPoweredOnEvent',
  VM_POWERED_OFF: 'VmPoweredOffEvent',
  VM_SUSPENDED: 'VmSuspendedEvent',
  VM_RESET: 'VmResettingEvent',
  VM_CLONE: 'VmClonedEvent',
  VM_RENAMED: 'VmRenamedEvent',
  VM_DEPLOYED: 'VmDeployedEvent',
  VM_RECONFIGURED: 'VmReconfiguredEvent',
  VM_FAILED_TO_POWER_ON: 'VmFailedToPowerOnEvent',
  VM_FAILED_TO_POWER_OFF: 'VmFailedToPowerOffEvent',
  VM_FAILED_TO_SUSPEND: 'VmFailedToSuspendEvent',
  VM_FAILED_TO_RESET: 'VmFailedToResetEvent',
};

const regex = z.string().refine(
  (v) => {
    try {
      new RegExp(v);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'vmNameRegex is a regular expression (JavaScript syntax), e.g. ^web-[0-9]+$' },
);

export const vmwareTriggerDefinition = defineTrigger({
  id: 'vmware.EventTrigger',
  aliases: [`${KESTRA_VCENTER}.Trigger`, `${KESTRA_ESXI}.Trigger`],
  group: GROUP,
  kind: 'polling',
  title: 'Start the flow on vSphere VM events',
  description: [
    "Polls the server's EventManager every `interval` and starts **one execution per event** (Kestra's trigger starts one per poll with `trigger.events`; Baton gives each event its own execution, and `trigger.events` holds that one event for compatibility).",
    '',
    '- The checkpoint (the last event key and its time) is kept durably by Baton: an event that happened while Baton or its worker was down fires once after the restart, and nothing fires twice.',
    '- The first poll only records where the event log stands; events before it do not fire.',
    '- `eventTypes` (Kestra names, default all of them) and `vmNameRegex` narrow the events.',
    '- Up to 1000 events are read per poll; more between two polls and the oldest are skipped (the trigger notes it): lower the interval on busy servers.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    eventTypes: z
      .array(z.enum(Object.keys(EVENT_TYPES) as [string, ...string[]]))
      .optional()
      .describe(`Fire only for these event types: ${Object.keys(EVENT_TYPES).join(', ')} (default: all)`),
    vmNameRegex: regex.optional().describe('Fire only for VMs whose name matches (unanchored JavaScript regex).'),
    interval: isoDuration.optional().describe('How often to poll (ISO-8601, default PT60S)'),
    inputs: z.record(z.string(), z.unknown()).optional().describe('Inputs of the execution it starts (rendered with the `trigger` variables)'),
  }),
  variables: {
    eventType: 'Kestra event type (VM_POWERED_ON, ...)',
    vmName: 'the VM the event is about',
    vmId: 'its moref',
    timestamp: "the event's creation time (ISO-8601, server clock)",
    key: "the event's key on the server",
    vsphereType: 'the vim25 event class (VmPoweredOnEvent, ...)',
    message: "vSphere's message for the event",
    userName: 'who caused it',
    events: 'Kestra compatibility: `[{vmName, eventType, timestamp}]` with this one event',
  },
  examples: [
    {
      title: 'React to VMs powering off',
      flow: `id: vsphere-watch
namespace: infra.vmware
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.vmName }}: {{ trigger.eventType }} at {{ trigger.timestamp }}"
triggers:
  - id: powered-off
    type: ${KESTRA_VCENTER}.Trigger
    server: vcenter.example.com
    username: "{{ secret('VSPHERE_USERNAME') }}"
    password: "{{ secret('VSPHERE_PASSWORD') }}"
    trustStorePath: /etc/baton/vsphere-ca.p12
    eventTypes: [VM_POWERED_OFF, VM_FAILED_TO_POWER_ON]
    vmNameRegex: "^web-"
    interval: PT30S
`,
    },
  ],
});
