import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, connectionShape, pollIntervalProp, stateOutputShape, systemIdProp } from './common';

export const commissionMachineDefinition = definePlugin({
  id: 'maas.machines.Commission',
  aliases: [`${KESTRA_PREFIX}.CommissionMachine`],
  title: 'Commission a MAAS machine',
  group: GROUP,
  description: [
    'Starts commissioning (`POST .../machines/{system_id}/?op=commission`) and, with `waitForCompletion`, waits until the machine is **Ready**.',
    '',
    "- **Failed commissioning** (or Broken) fails the task with MAAS's status message, without retry.",
    '- The wait is bounded by the task `timeout` (default **PT30M**); it heartbeats its status and elapsed time.',
    '- A worker restart during the wait resumes waiting: commissioning is not started again.',
    '- A kill stops the wait at once; MAAS finishes commissioning on its own.',
    '- A machine that is already Allocated, Deploying or Deployed has been commissioned: it is returned as it is (`commissioned: false`) rather than refused with 409, so a re-run converges.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    systemId: systemIdProp,
    enableSsh: z.boolean().optional().describe('Keep SSH open on the commissioning environment.'),
    skipBmcConfig: z.boolean().optional().describe('Do not configure the BMC.'),
    skipNetworking: z.boolean().optional().describe('Keep the current network configuration.'),
    skipStorage: z.boolean().optional().describe('Keep the current storage configuration.'),
    commissioningScripts: z.array(z.string().min(1)).optional().describe('Extra commissioning scripts or tags to run.'),
    testingScripts: z.array(z.string().min(1)).optional().describe('Testing scripts to run (`none` for none).'),
    waitForCompletion: z.boolean().default(false).describe('Wait until the machine is Ready (Kestra default: false).'),
    pollInterval: pollIntervalProp,
  }),
  outputs: z.object({ ...stateOutputShape, commissioned: z.boolean().describe('True when this task started commissioning') }),
  idempotent: true,
  activity: { timeout: 'PT30M', heartbeatTimeout: 'PT10S', retry: { maxAttempt: 3, interval: 'PT5S' } },
  examples: [
    {
      title: 'Commission and wait for Ready',
      flow: `id: maas-commission
namespace: infra.provisioning
inputs:
  - id: systemId
    type: STRING
tasks:
  - id: commission
    type: io.kestra.plugin.ee.canonical.maas.CommissionMachine
    url: "{{ secret('MAAS_URL') }}"
    apiKey: "{{ secret('MAAS_API_KEY') }}"
    systemId: "{{ inputs.systemId }}"
    skipStorage: true
    waitForCompletion: true
    timeout: PT30M
`,
    },
  ],
});
