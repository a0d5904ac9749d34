import { definePlugin, z } from '@baton/plugin-sdk';
import { checkAuth, connectionShape, kestraAlias, maxResultsProp } from './common';

const GROUP = 'Cloudflare / WAF';
const ACTIVITY = { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2 } };

export const MODES = ['block', 'challenge', 'whitelist', 'js_challenge', 'managed_challenge'] as const;
export const TARGETS = ['ip', 'ip6', 'ip_range', 'asn', 'country'] as const;

/** Kestra writes modes and targets in upper case (BLOCK, IP_RANGE); both spellings are accepted. */
const upper = <T extends readonly string[]>(values: T) => values.map((v) => v.toUpperCase());
export const modeProp = z
  .enum([...MODES, ...upper(MODES)] as [string, ...string[]])
  .describe('What to do with matching requests: block, challenge, whitelist (allow), js_challenge or managed_challenge (any case).');
export const targetProp = z
  .enum([...TARGETS, ...upper(TARGETS)] as [string, ...string[]])
  .describe('What `value` is: ip, ip6, ip_range (CIDR), asn (e.g. AS13335) or country (ISO code) (any case).');

const scopeShape = {
  zoneId: z.string().min(1).optional().describe('Zone the rule applies to. Give this or `accountId`.'),
  accountId: z.string().min(1).optional().describe('Account the rule applies to (all its zones). Give this or `zoneId`.'),
};

function checkScope(props: { zoneId?: string; accountId?: string }, ctx: z.RefinementCtx): void {
  if (!props.zoneId === !props.accountId) {
    ctx.addIssue({ code: 'custom', path: ['zoneId'], message: 'give exactly one of zoneId (zone rule) or accountId (account rule)' });
  }
}

export const accessRuleOutput = z
  .object({
    id: z.string().describe('Rule identifier'),
    mode: z.string().describe('block, challenge, whitelist, js_challenge or managed_challenge'),
    target: z.string().describe('ip, ip6, ip_range, asn or country'),
    value: z.string().describe('The IP, range, ASN or country'),
    notes: z.string().optional().describe('Notes stored with the rule'),
    scope: z.string().optional().describe('Where the rule lives: zone, account or user'),
    createdOn: z.string().optional().describe('When the rule was created'),
    modifiedOn: z.string().optional().describe('When the rule was last modified'),
  })
  .describe('An IP access rule');

export const accessRulesCreateDefinition = definePlugin({
  id: 'cloudflare.firewall.accessRules.Create',
  aliases: [kestraAlias('cloudflare.firewall.accessRules.Create'), 'io.kestra.plugin.cloudflare.waf.accessrules.Create'],
  title: 'Create an IP access rule',
  group: GROUP,
  description: [
    'Creates a WAF IP access rule on a zone or an account (`POST .../firewall/access_rules/rules`): block, challenge or allow an IP,',
    'a range, an ASN or a country.',
    '',
    '**Not idempotent** by default: Cloudflare refuses a second rule for the same target and value.',
    'With `ifExists: skip` an existing rule for the same target and value is returned instead (`created: false`), which makes the task idempotent.',
    '',
    'Needs: a token with **Zone: Firewall Services: Edit** (zone rules) or **Account: Account Firewall Access Rules: Edit** (account rules).',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...scopeShape,
      mode: modeProp,
      target: targetProp,
      value: z.string().min(1, 'value is required').describe('The IP address, CIDR range, ASN or two-letter country code.'),
      notes: z.string().max(500).optional().describe('Why the rule exists (shown in the dashboard).'),
      ifExists: z.enum(['fail', 'skip']).default('fail').describe('When a rule for the same target and value exists: fail (default) or skip and return it.'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      checkScope(props, ctx);
    }),
  outputs: z.object({
    rule: accessRuleOutput,
    ruleId: z.string().describe('Rule identifier'),
    created: z.boolean().describe('False when ifExists: skip found an existing rule'),
  }),
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Block an abusive address on one zone',
      flow: `id: cloudflare-block-ip
namespace: infra.edge
inputs:
  - id: ip
    type: STRING
    defaults: 198.51.100.7
tasks:
  - id: block
    type: io.kestra.plugin.cloudflare.firewall.accessRules.Create
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    mode: block
    target: ip
    value: "{{ inputs.ip }}"
    notes: "abuse ticket {{ execution.id }}"
    ifExists: skip
`,
    },
  ],
});

export const accessRulesListDefinition = definePlugin({
  id: 'cloudflare.firewall.accessRules.List',
  aliases: [kestraAlias('cloudflare.firewall.accessRules.List'), 'io.kestra.plugin.cloudflare.waf.accessrules.List'],
  title: 'List IP access rules',
  group: GROUP,
  description: [
    'Lists the WAF IP access rules of a zone or an account, filtered by mode, target, value or notes.',
    '',
    'Needs: a token with Firewall Services Read (zone) or Account Firewall Access Rules Read (account). Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...scopeShape,
      mode: modeProp.optional(),
      target: targetProp.optional(),
      value: z.string().min(1).optional().describe('Only rules for this IP, range, ASN or country.'),
      notes: z.string().min(1).optional().describe('Only rules whose notes contain this text.'),
      maxResults: maxResultsProp,
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      checkScope(props, ctx);
    }),
  outputs: z.object({
    rules: z.array(accessRuleOutput).describe('Matching rules'),
    count: z.number().int().describe('Number of rules returned'),
  }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    {
      title: 'List the blocked addresses of an account',
      flow: `id: cloudflare-list-blocks
namespace: infra.edge
tasks:
  - id: blocked
    type: io.kestra.plugin.cloudflare.firewall.accessRules.List
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    accountId: 0123456789abcdef0123456789abcdef
    mode: block
`,
    },
  ],
});

export const accessRulesDeleteDefinition = definePlugin({
  id: 'cloudflare.firewall.accessRules.Delete',
  aliases: [kestraAlias('cloudflare.firewall.accessRules.Delete'), 'io.kestra.plugin.cloudflare.waf.accessrules.Delete'],
  title: 'Delete IP access rules',
  group: GROUP,
  description: [
    'Deletes a WAF IP access rule by `ruleId`, or the rules for a `target` and `value`, on a zone or an account.',
    'With `ignoreMissing` (default) nothing to delete is not an error, so the task is **idempotent** (delete-if-exists).',
    '',
    'Needs: the same edit permission as Create.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...scopeShape,
      ruleId: z.string().min(1).optional().describe('Rule identifier. Give this, or `target` and `value`.'),
      target: targetProp.optional(),
      value: z.string().min(1).optional().describe('With target: delete the rules for this IP, range, ASN or country.'),
      ignoreMissing: z.boolean().default(true).describe('Succeed when no rule matches (default).'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      checkScope(props, ctx);
      if (!props.ruleId && !(props.target && props.value)) {
        ctx.addIssue({ code: 'custom', path: ['ruleId'], message: 'give ruleId, or target and value' });
      }
    }),
  outputs: z.object({
    deleted: z.number().int().describe('Number of rules deleted'),
    ruleIds: z.array(z.string()).describe('Identifiers of the deleted rules'),
  }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Lift a block after the incident',
      flow: `id: cloudflare-unblock-ip
namespace: infra.edge
tasks:
  - id: unblock
    type: io.kestra.plugin.cloudflare.firewall.accessRules.Delete
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    target: ip
    value: 198.51.100.7
`,
    },
  ],
});
