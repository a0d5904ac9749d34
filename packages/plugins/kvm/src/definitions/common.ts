import { parseDuration, z } from '@baton/plugin-sdk';

/** Pieces every KVM definition shares. Zod only: the web app imports this file. */
export const GROUP = 'KVM / libvirt';
export const KESTRA_PREFIX = 'io.kestra.plugin.kvm';

export const isoDuration = z.string().refine((v) => parseDuration(v) !== undefined, { message: 'must be an ISO-8601 duration such as PT30S or PT5M' });

/** virDomainState names as outputs show them (Kestra's spelling). */
export const DOMAIN_STATES = [
  'VIR_DOMAIN_NOSTATE',
  'VIR_DOMAIN_RUNNING',
  'VIR_DOMAIN_BLOCKED',
  'VIR_DOMAIN_PAUSED',
  'VIR_DOMAIN_SHUTDOWN',
  'VIR_DOMAIN_SHUTOFF',
  'VIR_DOMAIN_CRASHED',
  'VIR_DOMAIN_PMSUSPENDED',
] as const;

export const uriProp = z
  .string()
  .min(1, 'uri is required, e.g. qemu:///system')
  .describe(
    'libvirt connection URI: `qemu:///system` (the host the worker runs on; pair it with `workerGroup`), `qemu:///session`, ' +
      '`qemu+ssh://root@host[:port]/system` (the system ssh client, with `sshPrivateKey` and `knownHosts`), `qemu+tls://host/system` (with `tlsCaCert`, `tlsClientCert`, `tlsClientKey`), ' +
      "`qemu+tcp://host/system` (libvirtd listening on TCP with auth none), or `test:///default` (libvirt's test driver, for trying flows). " +
      "Usually `{{ secret('KVM_URI') }}`.",
  );

export const nameProp = z
  .string()
  .min(1, 'name is required: the libvirt domain name')
  .refine((v) => !v.includes('/'), { message: "a domain name cannot contain '/'" })
  .describe('Name of the libvirt domain (`virsh list --all` shows them).');

export const timeToWaitProp = isoDuration.default('PT60S').describe('How long to wait for the state (ISO-8601, Kestra default PT60S). Bounded by the task `timeout` too.');

export const xmlDefinitionProp = z
  .string()
  .min(1, 'xmlDefinition is required: the libvirt domain XML')
  .describe(
    "Complete libvirt domain XML (`<domain type='kvm'>...</domain>`), rendered with flow variables. Before it is sent Baton parses it " +
      "(syntax errors with line and column), checks the essentials (type, name, memory, os) and, where `xmllint` and libvirt's schemas are " +
      'installed on the worker, validates it against `domain.rng`; every error names its line.',
  );

export const stateOutput = z.string().describe('Domain state after the task: VIR_DOMAIN_RUNNING, VIR_DOMAIN_PAUSED, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_CRASHED, ...');

export const vmOutputShape = {
  name: z.string().describe('Domain name'),
  uuid: z.string().describe('Domain UUID'),
  state: stateOutput,
};

/** Remote transports' credentials: put them in secrets (`{{ secret('KVM_SSH_KEY') }}`). */
export const credentialShape = {
  sshPrivateKey: z
    .string()
    .optional()
    .describe("qemu+ssh: the private key (OpenSSH/PEM text, unencrypted), e.g. `{{ secret('KVM_SSH_KEY') }}`; default: the worker's own ssh identity"),
  knownHosts: z
    .string()
    .optional()
    .describe(
      "qemu+ssh: known_hosts line(s) for the host (`ssh-keyscan -p PORT HOST`); default: the worker's ~/.ssh/known_hosts. `no_verify=1` in the URI skips the check (warned)",
    ),
  tlsCaCert: z.string().optional().describe("qemu+tls: the CA certificate (PEM) that signed libvirtd's server certificate"),
  tlsClientCert: z.string().optional().describe('qemu+tls: the client certificate (PEM) signed by the CA libvirtd trusts'),
  tlsClientKey: z.string().optional().describe("qemu+tls: the client certificate's private key (PEM), e.g. `{{ secret('KVM_TLS_KEY') }}`"),
};

/** The properties every task starts with. */
export const connectionShape = { uri: uriProp, ...credentialShape };

export const WAIT_ACTIVITY = { timeout: 'PT10M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT2S' } };
export const QUICK_ACTIVITY = { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT2S' } };

/** A small domain for examples: TCG (no /dev/kvm needed), 256 MiB, one qcow2 disk. */
export const EXAMPLE_XML = `<domain type='kvm'>
        <name>{{ inputs.name }}</name>
        <memory unit='MiB'>512</memory>
        <vcpu>1</vcpu>
        <os>
          <type arch='x86_64' machine='pc'>hvm</type>
          <boot dev='hd'/>
        </os>
        <devices>
          <disk type='file' device='disk'>
            <driver name='qemu' type='qcow2'/>
            <source file='/var/lib/libvirt/images/{{ inputs.name }}.qcow2'/>
            <target dev='vda' bus='virtio'/>
          </disk>
          <interface type='network'>
            <source network='default'/>
            <model type='virtio'/>
          </interface>
        </devices>
      </domain>`;
