import { z } from '@baton/plugin-sdk';

/**
 * Pieces every Cloudflare definition shares. Zod only: the web app imports this module,
 * so nothing here may import the Cloudflare SDK.
 */

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';

/** Kestra's own type names are io.kestra.plugin.cloudflare.<the rest of Baton's id>. */
export function kestraAlias(id: string): string {
  return `io.kestra.plugin.${id}`;
}

export const connectionShape = {
  apiToken: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Cloudflare API token (`Authorization: Bearer`), e.g. `{{ secret('CLOUDFLARE_API_TOKEN') }}` or a namespace credential, `{{ credential('cloudflare') }}`. Preferred over the global key; wins when both are given.",
    ),
  email: z.string().min(1).optional().describe('Account e-mail, with `apiKey`, for the legacy global API key (`X-Auth-Email`).'),
  apiKey: z.string().min(1).optional().describe("Legacy global API key (`X-Auth-Key`), with `email`, e.g. `{{ secret('CLOUDFLARE_API_KEY') }}`."),
  baseUrl: z.string().min(1).default(DEFAULT_BASE_URL).describe(`Cloudflare API base URL (default ${DEFAULT_BASE_URL}); change it for a proxy or a simulator.`),
};

export function checkAuth(props: { apiToken?: string; email?: string; apiKey?: string }, ctx: z.RefinementCtx): void {
  if (props.apiToken) return;
  if (props.email && props.apiKey) return;
  if (props.apiKey && !props.email) {
    ctx.addIssue({ code: 'custom', path: ['email'], message: 'email is required with apiKey (global API key)' });
    return;
  }
  ctx.addIssue({
    code: 'custom',
    path: ['apiToken'],
    message: 'give an apiToken (e.g. apiToken: "{{ secret(\'CLOUDFLARE_API_TOKEN\') }}"), or email and apiKey',
  });
}

export const zoneIdProp = z.string().min(1, 'zoneId is required').describe('Zone identifier (32 hex characters; the Overview page of the zone shows it).');
export const accountIdProp = z.string().min(1, 'accountId is required').describe('Account identifier (the dashboard URL and the zone Overview page show it).');

export const maxResultsProp = z.number().int().positive().default(1_000).describe('Stop after this many results (pages are fetched until then; default 1000).');

export const RECORD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CERT',
  'CNAME',
  'DNSKEY',
  'DS',
  'HTTPS',
  'LOC',
  'MX',
  'NAPTR',
  'NS',
  'OPENPGPKEY',
  'PTR',
  'SMIMEA',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT',
  'URI',
] as const;

export const recordTypeProp = z.enum(RECORD_TYPES).describe('DNS record type, e.g. A, AAAA, CNAME, TXT, MX.');

export const recordNameProp = z.string().min(1, 'name is required').describe('Record name, relative to the zone (`app`, `@` for the apex) or fully qualified (`app.example.com`).');

export const ttlProp = z
  .number()
  .int()
  .refine((v) => v === 1 || (v >= 30 && v <= 86_400), { message: 'ttl must be 1 (automatic) or between 30 and 86400 seconds' })
  .describe('Time to live in seconds: 1 means automatic, otherwise 30 (Enterprise) or 60 to 86400.');

export const recordFieldsShape = {
  content: z.string().min(1).optional().describe('Record content: an IPv4 address for A, a host name for CNAME, text for TXT, ...'),
  ttl: ttlProp.optional(),
  proxied: z.boolean().optional().describe('Route traffic through Cloudflare (A, AAAA and CNAME only).'),
  comment: z.string().max(500).optional().describe('Comment stored with the record (shown in the dashboard).'),
  tags: z.array(z.string().min(1)).optional().describe('Tags in `name:value` form (paid plans).'),
  priority: z.number().int().min(0).max(65_535).optional().describe('Priority, for MX, SRV and URI records.'),
  data: z.record(z.string(), z.unknown()).optional().describe('Structured data for SRV, CAA, LOC, HTTPS, ... records, as the Cloudflare API expects it.'),
};

// ---- outputs ----------------------------------------------------------------

export const recordOutput = z
  .object({
    id: z.string().describe('Record identifier'),
    name: z.string().describe('Fully qualified record name'),
    type: z.string().describe('Record type'),
    content: z.string().optional().describe('Record content'),
    ttl: z.number().describe('TTL in seconds (1 = automatic)'),
    proxied: z.boolean().optional().describe('Whether traffic goes through Cloudflare'),
    comment: z.string().optional().describe('Comment, if any'),
    tags: z.array(z.string()).describe('Tags'),
    priority: z.number().optional().describe('Priority (MX, SRV, URI)'),
    data: z.record(z.string(), z.unknown()).optional().describe('Structured data (SRV, CAA, ...)'),
    createdOn: z.string().optional().describe('When the record was created (ISO-8601)'),
    modifiedOn: z.string().optional().describe('When the record was last modified (ISO-8601)'),
  })
  .describe('A DNS record');

export const zoneOutput = z
  .object({
    id: z.string().describe('Zone identifier'),
    name: z.string().describe('Domain name of the zone'),
    status: z.string().describe('active, pending, initializing, moved, deleted or deactivated'),
    paused: z.boolean().optional().describe('Whether Cloudflare only serves DNS (no proxying)'),
    type: z.string().optional().describe('full, partial or secondary'),
    nameServers: z.array(z.string()).describe('Cloudflare name servers assigned to the zone'),
    accountId: z.string().optional().describe('Account that owns the zone'),
    accountName: z.string().optional().describe('Name of that account'),
    plan: z.string().optional().describe('Plan name, e.g. Free Website'),
  })
  .describe('A Cloudflare zone');
