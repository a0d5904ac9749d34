import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, connectionShape, pollIntervalProp, stateOutputShape, systemIdProp } from './common';

export const releaseMachineDefinition = definePlugin({
  id: 'maas.machines.Release',
  aliases: [`${KESTRA_PREFIX}.ReleaseMachine`],
  title: 'Release a MAAS machine',
  group: GROUP,
  description: [
    'Releases an allocated or deployed machine back to the pool (`POST .../machines/{system_id}/?op=release`), optionally erasing its disks, and waits until it is **Ready**.',
    'Use it for clean-up and rollback (in `errors:` after a failed deployment).',
    '',
    '**Idempotent**: a machine already Ready (or New) is left alone (`released: false`); one already Releasing or erasing is waited for.',
    '**Releasing failed** and **Failed disk erasing** fail the task. A worker restart resumes the wait; a kill stops it.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    systemId: systemIdProp,
    erase: z.boolean().default(false).describe('Erase the disks before the machine returns to Ready.'),
    secureErase: z.boolean().optional().describe("Use the disks' secure erase (with erase)."),
    quickErase: z.boolean().optional().describe('Wipe only the start and end of each disk (with erase).'),
    force: z.boolean().optional().describe('Release even when MAAS would refuse (e.g. a VM host with VMs).'),
    comment: z.string().optional().describe('Comment recorded in the MAAS event log.'),
    waitForRelease: z.boolean().default(true).describe('Wait until the machine is Ready.'),
    pollInterval: pollIntervalProp,
  }),
  outputs: z.object({ ...stateOutputShape, released: z.boolean().describe('True when this task asked MAAS to release the machine') }),
  idempotent: true,
  activity: { timeout: 'PT30M', heartbeatTimeout: 'PT10S', retry: { maxAttempt: 3, interval: 'PT5S' } },
  examples: [
    {
      title: 'Roll back: release the machine when the deployment failed',
      flow: `id: maas-deploy-or-release
namespace: infra.provisioning
inputs:
  - id: systemId
    type: STRING
tasks:
  - id: deploy
    type: io.kestra.plugin.ee.canonical.maas.DeployMachine
    url: "{{ secret('MAAS_URL') }}"
    apiKey: "{{ secret('MAAS_API_KEY') }}"
    systemId: "{{ inputs.systemId }}"
    distroSeries: jammy
    waitForDeployment: true
errors:
  - id: release
    type: maas.machines.Release
    url: "{{ secret('MAAS_URL') }}"
    apiKey: "{{ secret('MAAS_API_KEY') }}"
    systemId: "{{ inputs.systemId }}"
    erase: true
`,
    },
  ],
});
