import { definePlugin, parseDuration, z, type PluginDefinition } from '@baton/plugin-sdk';

/** Pieces every VMware definition shares. Zod only: the web app imports this file. */
export const GROUP = 'VMware vSphere / ESXi';
export const KESTRA_VCENTER = 'io.kestra.plugin.ee.vmware.vcenter';
export const KESTRA_ESXI = 'io.kestra.plugin.ee.vmware.esxi';

export const isoDuration = z.string().refine((v) => parseDuration(v) !== undefined, { message: 'must be an ISO-8601 duration such as PT30S or PT5M' });

export const connectionShape = {
  server: z
    .string()
    .min(1, 'server is required: the vCenter or ESXi host name or IP')
    .refine((v) => !/^[a-z]+:\/\//i.test(v) && !v.includes('/'), { message: 'give the host name or IP only, without scheme or path (e.g. vcenter.example.com)' })
    .describe('FQDN or IP of the vCenter or ESXi endpoint, without scheme or port. Baton speaks vim25 SOAP at `https://server:port/sdk`.'),
  port: z.coerce.number().int().min(1).max(65535).default(443).describe('HTTPS port (443).'),
  username: z.string().min(1, 'username is required').describe("e.g. `administrator@vsphere.local` (vCenter) or `root` (ESXi). Usually `{{ secret('VSPHERE_USERNAME') }}`."),
  password: z.string().min(1, 'password is required').describe("Usually `{{ secret('VSPHERE_PASSWORD') }}`. Sent only in the Login call, never logged."),
  trustStore: z.string().optional().describe('PEM text of the CA certificate(s) that signed the server certificate (Baton addition; e.g. from a secret).'),
  trustStorePath: z
    .string()
    .optional()
    .describe(
      "Path on the worker of a trust store with the CA certificate(s): a PKCS#12 file (Kestra's `trustStorePath`) or a PEM bundle. Without trustStore(Path) the system CAs are trusted.",
    ),
  trustStorePassword: z.string().optional().describe('Password of the PKCS#12 trust store, if it has one.'),
  insecure: z
    .boolean()
    .default(false)
    .describe('Skip TLS certificate verification (labs only: anyone on the path can read the password). Each task logs a warning when it is set.'),
};

export const connectionSchema = z.object(connectionShape);
export type ConnectionProps = z.output<typeof connectionSchema>;

export const vmNameProp = z.string().min(1, 'vmName is required: the name of the VM as vSphere shows it').describe('Name of the virtual machine (unique in the inventory).');
export const waitTimeoutProp = isoDuration.default('PT10M').describe('How long to wait for the vSphere task (ISO-8601). Bounded by the task `timeout` too.');

export const vmOutputShape = {
  vmName: z.string().describe('VM name'),
  vmId: z.string().describe('Managed object id (moref), e.g. vm-42'),
  uuid: z.string().describe('BIOS UUID (config.uuid)'),
  powerState: z.string().describe('poweredOn, poweredOff or suspended'),
  template: z.boolean().describe('True for a template'),
};

export const WAIT_ACTIVITY = { timeout: 'PT15M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT2S' } };
export const QUICK_ACTIVITY = { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT2S' } };

/** The connection lines of an example (the `vcenter` or `esxi` family). */
export function exampleConnection(family: 'vcenter' | 'esxi' = 'vcenter'): string {
  return `    server: ${family === 'vcenter' ? 'vcenter.example.com' : 'esxi01.example.com'}
    username: "{{ secret('VSPHERE_USERNAME') }}"
    password: "{{ secret('VSPHERE_PASSWORD') }}"
    trustStorePath: /etc/baton/vsphere-ca.p12`;
}

/**
 * Declares one VMware task under Baton's id (`vmware.<name>`) and Kestra's two type names
 * (`io.kestra.plugin.ee.vmware.vcenter.<Kestra>` and `...esxi.<Kestra>`): the same task serves both,
 * the server says which it is.
 */
export function vmwareTask<P extends z.ZodType, O extends z.ZodType>(spec: {
  name: string;
  kestra: string;
  title: string;
  description: string;
  props: P;
  outputs: O;
  idempotent: boolean;
  wait: boolean;
  example: { title: string; body: string };
}): PluginDefinition<P, O> {
  return definePlugin({
    id: `vmware.${spec.name}`,
    aliases: [`${KESTRA_VCENTER}.${spec.kestra}`, `${KESTRA_ESXI}.${spec.kestra}`],
    title: spec.title,
    group: GROUP,
    description: spec.description,
    props: spec.props,
    outputs: spec.outputs,
    idempotent: spec.idempotent,
    activity: spec.wait ? WAIT_ACTIVITY : QUICK_ACTIVITY,
    examples: [
      {
        title: spec.example.title,
        flow: `id: vmware-${spec.name.toLowerCase().replace(/\./g, '-')}
namespace: infra.vmware
tasks:
  - id: ${spec.kestra.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}
    type: ${KESTRA_VCENTER}.${spec.kestra}
${exampleConnection()}
${spec.example.body}`,
      },
    ],
  });
}
