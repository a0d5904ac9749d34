import { parseDuration, z } from '@baton/plugin-sdk';

/** Pieces every Nutanix definition shares. Zod only: the web app imports this file. */
export const GROUP = 'Nutanix AHV';
export const KESTRA_AHV = 'io.kestra.plugin.ee.nutanix.ahv';
export const KESTRA_SNAPSHOT = 'io.kestra.plugin.ee.nutanix.ahv.snapshot';

const isoDuration = z.string().refine((v) => parseDuration(v) !== undefined, { message: 'must be an ISO-8601 duration such as PT5S or PT30M' });

export const connectionShape = {
  host: z.string().min(1, 'host is required: the Prism Central address, e.g. pc.example.com').describe('Prism Central host name or IP, without scheme or port.'),
  port: z.number().int().min(1).max(65535).default(9440).describe('Prism Central port (default 9440).'),
  scheme: z.enum(['https', 'http']).default('https').describe('https (default); http only for a simulator or a lab proxy.'),
  token: z
    .string()
    .optional()
    .describe("API key of a Prism Central service account, sent as `X-ntnx-api-key`; usually `{{ secret('NUTANIX_API_KEY') }}`. Give this or username and password."),
  username: z.string().optional().describe("Prism Central user for HTTP Basic auth; usually `{{ secret('NUTANIX_USERNAME') }}`."),
  password: z.string().optional().describe("Password of `username`; usually `{{ secret('NUTANIX_PASSWORD') }}`."),
  verifySsl: z.boolean().default(true).describe("Verify Prism Central's TLS certificate (default true). Prefer `caCertificate` over turning this off."),
  caCertificate: z.string().optional().describe("PEM CA bundle that signed Prism Central's certificate (a self-signed PC), e.g. `{{ secret('NUTANIX_CA') }}`."),
};

export const waitShape = {
  wait: z
    .boolean()
    .default(true)
    .describe("Wait for the Prism task to end (default true). False: return the `taskExtId` at once (Kestra's default); outputs that need the result are then absent."),
  waitTimeout: isoDuration.default('PT30M').describe('How long to wait for the Prism task (ISO-8601, default PT30M; the task `timeout` bounds it too).'),
  pollInterval: isoDuration.default('PT2S').describe('How often to read the Prism task while waiting (default PT2S).'),
};

/** Every connection problem the schema can see, named at once. */
export function withCredentials<T extends z.ZodObject>(schema: T) {
  return schema.superRefine((v: Record<string, unknown>, ctx) => {
    if (!v.token && !(v.username && v.password)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'give token (an API key) or username and password' });
    }
  });
}

export const vmExtIdProp = z.string().min(1, 'vmExtId is required').describe('extId (UUID) of the VM, e.g. the `extId` output of CreateVm or ListVms.');

export const taskOutputs = {
  taskExtId: z.string().optional().describe('extId of the Prism task that did the work (absent when nothing had to be done)'),
  taskStatus: z.string().optional().describe('Final status of the Prism task: SUCCEEDED, or RUNNING with `wait: false`'),
};

export const vmOutput = z
  .looseObject({
    extId: z.string().describe('VM extId'),
    name: z.string().describe('VM name'),
    powerState: z.string().describe('ON, OFF, PAUSED or UNDETERMINED'),
    numSockets: z.number().optional().describe('vCPU sockets'),
    numCoresPerSocket: z.number().optional().describe('Cores per socket'),
    memorySizeBytes: z.number().optional().describe('Memory in bytes'),
    cluster: z.looseObject({ extId: z.string() }).optional().describe('Cluster reference'),
  })
  .describe('The VM as Prism Central returns it (v4 Vm)');

export const flatVmShape = {
  extId: z.string().describe('extId of the VM'),
  name: z.string().describe('Name of the VM'),
  powerState: z.string().describe('Power state after the task: ON, OFF, PAUSED or UNDETERMINED'),
};

export function example(id: string, type: string, body: string): string {
  return `id: ${id}
namespace: infra.nutanix
tasks:
  - id: ${id.replace(/-/g, '_')}
    type: ${type}
    host: "{{ secret('NUTANIX_HOST') }}"
    username: "{{ secret('NUTANIX_USERNAME') }}"
    password: "{{ secret('NUTANIX_PASSWORD') }}"
${body
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`;
}
