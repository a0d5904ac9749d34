import { z } from '@baton/plugin-sdk';

/** Pieces every NetBox definition shares. Zod only: the web app imports this file. */
export const GROUP = 'NetBox';
export const KESTRA_PREFIX = 'io.kestra.plugin.ee.netbox';

export const connectionShape = {
  url: z
    .string()
    .min(1, 'url is required: the NetBox URL, e.g. https://netbox.example.com')
    .describe("NetBox URL, e.g. `https://netbox.example.com` (with or without `/api`). Usually `{{ secret('NETBOX_URL') }}`."),
  token: z
    .string()
    .min(1, 'token is required')
    .describe(
      "API token, usually `{{ secret('NETBOX_API_TOKEN') }}`: a v1 token (40 hex characters, sent as `Token …`) or a v2 token `nbt_<key>.<token>` (NetBox 4.5+, sent as `Bearer …`).",
    ),
};

/** A related object by slug or numeric id (templates render ids as strings: "12" is an id). */
export const slugOrId = (what: string) =>
  z
    .union([z.string().min(1), z.number().int().positive()], {
      error: (issue) =>
        issue.input === undefined
          ? `${what} is required: its slug or id, in the task or in plugin defaults (type: io.kestra.plugin.ee.netbox.CreateDevice)`
          : `${what} must be a slug or a numeric id`,
    })
    .describe(`${what}: its slug, or its numeric id`);

export const idProp = (what: string) =>
  z
    .union([z.number().int().positive(), z.string().regex(/^\d+$/, `${what} must be a numeric id`)])
    .transform((v) => Number(v))
    .describe(`${what} (numeric id; a template such as "{{ outputs.x.id }}" is fine)`);

export const tagsProp = z.array(z.string().min(1)).optional().describe('Tags by slug; NetBox requires them to exist.');
export const customFieldsProp = z.record(z.string(), z.unknown()).optional().describe('Custom field values by name.');

export const objectOutput = z.looseObject({
  id: z.number().int().describe('NetBox id'),
  url: z.string().optional().describe('API URL of the object'),
  display: z.string().optional().describe('Display name'),
});

export const listOptionsShape = {
  fields: z.array(z.string().min(1)).optional().describe('Keep only these fields of each object, e.g. [id, name, status].'),
  limit: z.number().int().min(1).max(100_000).default(100).describe('Most objects to return (NetBox pages are followed until then; default 100).'),
  query: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
    .optional()
    .describe('Any other NetBox filter, e.g. `{name__ic: web, serial: X1}`.'),
};

export const listOutputs = z.object({
  results: z.array(z.looseObject({})).describe('The objects (whole, or reduced to `fields`)'),
  size: z.number().int().describe('Objects returned'),
  total: z.number().int().describe('Objects matching the filters in NetBox'),
});
