import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, connectionShape, pollIntervalProp, systemIdProp } from './common';

export const powerControlMachineDefinition = definePlugin({
  id: 'maas.machines.PowerControl',
  aliases: [`${KESTRA_PREFIX}.PowerControlMachine`],
  title: 'Power a MAAS machine on, off, cycle it or query its power',
  group: GROUP,
  description: [
    "Drives the machine's BMC through MAAS: `ON` (`?op=power_on`), `OFF` (`?op=power_off`, `stopMode` soft or hard), `CYCLE` (off, then on) or `QUERY` (`?op=query_power_state`, which asks the BMC).",
    '',
    'With `waitForPowerState` (default true) the task polls the BMC until the power state is `expectedState` (on for ON and CYCLE, off for OFF), within the task `timeout` (default PT5M).',
    'ON and OFF are **idempotent**; a kill stops the wait.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    systemId: systemIdProp,
    action: z.enum(['ON', 'OFF', 'CYCLE', 'QUERY']).describe('What to do with the power.'),
    waitForPowerState: z.boolean().default(true).describe('Wait until the power state is the expected one.'),
    expectedState: z.enum(['on', 'off']).optional().describe('The state to wait for; by default on for ON and CYCLE, off for OFF.'),
    stopMode: z.enum(['soft', 'hard']).default('hard').describe('How OFF (and the first half of CYCLE) stops the machine.'),
    comment: z.string().optional().describe('Comment recorded in the MAAS event log.'),
    pollInterval: isoPoll(),
  }),
  outputs: z.object({
    systemId: z.string().describe('System id'),
    action: z.string().describe('The action taken'),
    powerState: z.string().describe('Power state read last: on, off, unknown or error'),
  }),
  idempotent: true,
  activity: { timeout: 'PT5M', heartbeatTimeout: 'PT10S', retry: { maxAttempt: 3, interval: 'PT5S' } },
  examples: [
    {
      title: 'Power cycle a machine',
      flow: `id: maas-power-cycle
namespace: infra.provisioning
tasks:
  - id: cycle
    type: io.kestra.plugin.ee.canonical.maas.PowerControlMachine
    url: "{{ secret('MAAS_URL') }}"
    apiKey: "{{ secret('MAAS_API_KEY') }}"
    systemId: abc123
    action: CYCLE
`,
    },
  ],
});

function isoPoll() {
  return pollIntervalProp.default('PT2S').describe('How often to query the power state while waiting (ISO-8601, default PT2S).');
}
