import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import type { AccessRuleCreateParams } from 'cloudflare/resources/firewall/access-rules';
import { CloudflareApi } from '../client';
import { accessRulesCreateDefinition, accessRulesDeleteDefinition, accessRulesListDefinition } from '../definitions/firewall';
import { isMissingItem } from '../errors';
import { readProps } from '../props';

type ApiRule = {
  id: string;
  mode: string;
  configuration?: { target?: string; value?: string };
  notes?: string;
  scope?: { type?: string };
  created_on?: string;
  modified_on?: string;
};

type Scope = { zoneId?: string; accountId?: string };

function scopeParams(scope: Scope): { zone_id: string } | { account_id: string } {
  return scope.zoneId ? { zone_id: scope.zoneId } : { account_id: scope.accountId! };
}

function scopePath(scope: Scope): string {
  return scope.zoneId ? `/zones/${scope.zoneId}` : `/accounts/${scope.accountId}`;
}

function scopeLabel(scope: Scope): string {
  return scope.zoneId ? `zone '${scope.zoneId}'` : `account '${scope.accountId}'`;
}

export function toRuleOutput(r: ApiRule) {
  return {
    id: r.id,
    mode: r.mode,
    target: r.configuration?.target ?? '',
    value: r.configuration?.value ?? '',
    ...(r.notes ? { notes: r.notes } : {}),
    ...(r.scope?.type ? { scope: r.scope.type } : {}),
    ...(r.created_on ? { createdOn: r.created_on } : {}),
    ...(r.modified_on ? { modifiedOn: r.modified_on } : {}),
  };
}

async function listRules(api: CloudflareApi, scope: Scope, filters: { mode?: string; target?: string; value?: string; notes?: string }, max: number) {
  const query: Record<string, unknown> = {
    ...(filters.mode ? { mode: filters.mode } : {}),
    ...(filters.target || filters.value ? { configuration: { ...(filters.target ? { target: filters.target } : {}), ...(filters.value ? { value: filters.value } : {}) } } : {}),
    ...(filters.notes ? { notes: filters.notes } : {}),
  };
  const result = await api.listPages<ApiRule>(
    `GET ${scopePath(scope)}/firewall/access_rules/rules`,
    (page, perPage, o) =>
      api.sdk.firewall.accessRules.list(
        { ...scopeParams(scope), ...query, page, per_page: perPage } as unknown as Parameters<typeof api.sdk.firewall.accessRules.list>[0],
        o,
      ) as unknown as PromiseLike<{ result: ApiRule[] }>,
    max,
    100,
    scopeLabel(scope),
  );
  // Filters are applied again here: a value filter on the server may match partially.
  const items = result.items.filter(
    (r) =>
      (!filters.mode || r.mode === filters.mode) && (!filters.target || r.configuration?.target === filters.target) && (!filters.value || r.configuration?.value === filters.value),
  );
  return { items, truncated: result.truncated };
}

export const accessRulesCreateRuntime = defineRuntime(accessRulesCreateDefinition, async (ctx) => {
  const props = readProps(accessRulesCreateDefinition.props, ctx.props, accessRulesCreateDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const mode = props.mode.toLowerCase();
  const target = props.target.toLowerCase();
  if (props.ifExists === 'skip') {
    const { items } = await listRules(api, props, { target, value: props.value }, 100);
    if (items.length) {
      const existing = items[0];
      if (existing.mode !== mode) {
        ctx.logger.warn(`a ${existing.mode} rule for ${target} ${props.value} already exists (${existing.id}); leaving it as it is`);
      } else ctx.logger.info(`a ${mode} rule for ${target} ${props.value} already exists (${existing.id})`);
      return { rule: toRuleOutput(existing), ruleId: existing.id, created: false };
    }
  }
  const params = {
    ...scopeParams(props),
    mode,
    configuration: { target, value: props.value },
    ...(props.notes ? { notes: props.notes } : {}),
  } as unknown as AccessRuleCreateParams;
  const rule = (await api.call(
    `POST ${scopePath(props)}/firewall/access_rules/rules`,
    (o) => api.sdk.firewall.accessRules.create(params, o),
    scopeLabel(props),
  )) as unknown as ApiRule;
  ctx.logger.info(`created ${mode} rule for ${target} ${props.value} on ${scopeLabel(props)} (${rule.id})`);
  return { rule: toRuleOutput(rule), ruleId: rule.id, created: true };
});

export const accessRulesListRuntime = defineRuntime(accessRulesListDefinition, async (ctx) => {
  const props = readProps(accessRulesListDefinition.props, ctx.props, accessRulesListDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const { items } = await listRules(api, props, { mode: props.mode?.toLowerCase(), target: props.target?.toLowerCase(), value: props.value, notes: props.notes }, props.maxResults);
  ctx.logger.info(`found ${items.length} access rule(s) on ${scopeLabel(props)}`);
  const rules = items.map(toRuleOutput);
  return { rules, count: rules.length };
});

export const accessRulesDeleteRuntime = defineRuntime(accessRulesDeleteDefinition, async (ctx) => {
  const props = readProps(accessRulesDeleteDefinition.props, ctx.props, accessRulesDeleteDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const ids = props.ruleId ? [props.ruleId] : (await listRules(api, props, { target: props.target!.toLowerCase(), value: props.value }, 1_000)).items.map((r) => r.id);
  const deleted: string[] = [];
  for (const id of ids) {
    try {
      await api.call(`DELETE ${scopePath(props)}/firewall/access_rules/rules/${id}`, (o) => api.sdk.firewall.accessRules.delete(id, scopeParams(props), o));
      deleted.push(id);
    } catch (error) {
      if (!(props.ignoreMissing && isMissingItem(error))) throw error;
    }
  }
  if (!deleted.length && !props.ignoreMissing) {
    throw new PluginError('NOT_FOUND', `no access rule ${props.ruleId ?? `for ${props.target} ${props.value}`} on ${scopeLabel(props)}`, {
      retryable: false,
    });
  }
  ctx.logger.info(deleted.length ? `deleted ${deleted.length} access rule(s) on ${scopeLabel(props)}` : `nothing to delete on ${scopeLabel(props)}`);
  return { deleted: deleted.length, ruleIds: deleted };
});
