import { parseDuration, z } from '@baton/plugin-sdk';

/** Pieces every MAAS definition shares. Zod only: the web app imports this file. */
export const GROUP = 'Canonical MAAS';
export const KESTRA_PREFIX = 'io.kestra.plugin.ee.canonical.maas';

export const isoDuration = z.string().refine((v) => parseDuration(v) !== undefined, { message: 'must be an ISO-8601 duration such as PT5S or PT30M' });

export const connectionShape = {
  url: z
    .string()
    .min(1, 'url is required: the MAAS URL, e.g. http://maas.example.com:5240/MAAS')
    .describe("MAAS URL, e.g. `http://maas.example.com:5240/MAAS` (the API path `/api/2.0/` is added). Usually `{{ secret('MAAS_URL') }}`."),
  apiKey: z
    .string()
    .min(1, 'apiKey is required')
    .describe(
      "MAAS API key `consumer_key:token_key:token_secret` (from `maas apikey --username <user>`), usually `{{ secret('MAAS_API_KEY') }}`. Requests are signed with OAuth 1.0a PLAINTEXT; the key never leaves the worker otherwise.",
    ),
};

export const systemIdProp = z.string().min(1, 'systemId is required').describe('MAAS system id of the machine, e.g. `abc123` (output `systemId` of EnlistMachine).');

export const pollIntervalProp = isoDuration.default('PT5S').describe('How often to read the machine while waiting (ISO-8601, default PT5S).');

const loose = z.looseObject;

/** A machine as MAAS returns it, with the fields flows read most often described. */
export const machineOutput = loose({
  system_id: z.string().describe('System id'),
  hostname: z.string().describe('Host name'),
  fqdn: z.string().optional().describe('Fully qualified domain name'),
  status: z.number().int().describe('Status number (MAAS NodeStatus)'),
  status_name: z.string().describe('Status label: New, Commissioning, Ready, Allocated, Deploying, Deployed, Failed deployment, ...'),
  status_message: z.string().nullable().optional().describe('Latest status message'),
  power_state: z.string().optional().describe('on, off, unknown or error'),
  osystem: z.string().optional().describe('Deployed operating system'),
  distro_series: z.string().optional().describe('Deployed release, e.g. jammy'),
  ip_addresses: z.array(z.string()).optional().describe('IP addresses of the machine'),
  tag_names: z.array(z.string()).optional().describe('Tags'),
}).describe('The machine object as the MAAS API returns it');

export const stateOutputShape = {
  systemId: z.string().describe('System id of the machine'),
  hostname: z.string().describe('Host name'),
  status: z.string().describe('Status label after the task, e.g. Ready or Deployed'),
  powerState: z.string().optional().describe('Power state: on, off, unknown or error'),
  elapsedMs: z.number().int().describe('Time since the operation was issued, in milliseconds (across worker restarts)'),
  machine: machineOutput,
};
