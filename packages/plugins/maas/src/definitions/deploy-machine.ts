import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, connectionShape, pollIntervalProp, stateOutputShape, systemIdProp } from './common';

export const deployMachineDefinition = definePlugin({
  id: 'maas.machines.Deploy',
  aliases: [`${KESTRA_PREFIX}.DeployMachine`],
  title: 'Deploy an operating system on a MAAS machine',
  group: GROUP,
  description: [
    'Deploys a Ready or Allocated machine (`POST .../machines/{system_id}/?op=deploy`; MAAS allocates a Ready machine first) and, with `waitForDeployment`, waits until it is **Deployed**.',
    '',
    '- `userData` is cloud-init (text; Baton base64-encodes it). `userTags` are MAAS tags added to the machine (created when missing).',
    "- **Failed deployment** fails the task with MAAS's message, without retry. The wait is bounded by the task `timeout` (default **PT45M**).",
    '- A worker restart during the wait resumes waiting without deploying again; a kill stops the wait (MAAS carries on).',
    '- **Idempotent**: a machine already Deployed with the same OS and release is returned as it is (`deployed: false`); one already Deploying is waited for.',
    '  Deployed with another release is a conflict: release it first (ReleaseMachine).',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    systemId: systemIdProp,
    osystem: z.string().min(1).default('ubuntu').describe('Operating system, e.g. ubuntu.'),
    distroSeries: z.string().min(1).optional().describe("Release, e.g. jammy or noble; MAAS's default when absent."),
    kernel: z.string().min(1).optional().describe('Kernel (hwe_kernel), e.g. ga-22.04 or hwe-22.04.'),
    userData: z.string().optional().describe('cloud-init user data (plain text).'),
    userTags: z
      .array(z.string().regex(/^[\w-]+$/, 'tags take letters, digits, - and _'))
      .optional()
      .describe('Tags to add to the machine.'),
    installKvm: z.boolean().optional().describe('Install KVM and register the machine as a VM host.'),
    comment: z.string().optional().describe('Comment recorded in the MAAS event log.'),
    waitForDeployment: z.boolean().default(false).describe('Wait until the machine is Deployed (Kestra default: false).'),
    pollInterval: pollIntervalProp,
  }),
  outputs: z.object({
    ...stateOutputShape,
    deployed: z.boolean().describe('True when this task started the deployment'),
    osystem: z.string().optional().describe('Operating system'),
    distroSeries: z.string().optional().describe('Release'),
    ipAddresses: z.array(z.string()).describe('IP addresses MAAS reports for the machine'),
    fqdn: z.string().optional().describe('Fully qualified domain name'),
  }),
  idempotent: true,
  activity: { timeout: 'PT45M', heartbeatTimeout: 'PT10S', retry: { maxAttempt: 3, interval: 'PT5S' } },
  examples: [
    {
      title: 'Deploy Ubuntu 22.04 with cloud-init and wait',
      flow: `id: maas-deploy
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
    osystem: ubuntu
    distroSeries: jammy
    userData: |
      #cloud-config
      packages: [nginx]
    userTags: [production, web]
    waitForDeployment: true
    timeout: PT45M
`,
    },
  ],
});
