import { isIPv4, isIPv6 } from 'node:net';
import type { Router, SimRequest, SimResponse } from '../kit/router.js';
import { cfFail, cfId, cfOk, isPageError, paginate, readPage, routeError } from './envelope.js';
import type { AccessRule, CfStore } from './state.js';
import { API } from './zones.js';

const MODES = ['block', 'challenge', 'whitelist', 'js_challenge', 'managed_challenge'];
const TARGETS = ['ip', 'ip6', 'ip_range', 'asn', 'country'];

const invalid = (message: string): SimResponse => cfFail(400, { code: 10001, message: `firewallaccessrules.api.validation_error: ${message}` });
const notFound = (): SimResponse => cfFail(404, { code: 10007, message: 'firewallaccessrules.api.not_found' });

/** IP Access rules only accept /16 or /24 IPv4 ranges and /32, /48, /64 IPv6 ranges. */
function validTarget(target: string, value: string): string | undefined {
  if (target === 'ip' && !isIPv4(value)) return `"${value}" is not a valid IPv4 address`;
  if (target === 'ip6' && !isIPv6(value)) return `"${value}" is not a valid IPv6 address`;
  if (target === 'ip_range') {
    const [addr, bits] = value.split('/');
    const v4 = isIPv4(addr) && ['16', '24'].includes(bits);
    const v6 = isIPv6(addr) && ['32', '48', '64'].includes(bits);
    if (!v4 && !v6) return `"${value}" must be an IPv4 /16 or /24, or an IPv6 /32, /48 or /64 range`;
  }
  if (target === 'asn' && !/^AS\d{1,10}$/i.test(value)) return `"${value}" is not an ASN (e.g. AS13335)`;
  if (target === 'country' && !/^([A-Z]{2}|T1|XX)$/.test(value)) return `"${value}" is not a two-letter country code`;
  return undefined;
}

function render(rule: AccessRule): Record<string, unknown> {
  return { ...rule, paused: false, allowed_modes: MODES };
}

/** Same resource at zone and account scope; the scope is resolved from the path. */
export function addAccessRuleRoutes(router: Router, store: CfStore): void {
  const scopes = [
    { path: `${API}/zones/:zone_id/firewall/access_rules/rules`, type: 'zone' as const, param: 'zone_id' },
    { path: `${API}/accounts/:account_identifier/firewall/access_rules/rules`, type: 'account' as const, param: 'account_identifier' },
  ];
  for (const scope of scopes) {
    const scopeOf = (req: SimRequest): AccessRule['scope'] | SimResponse => {
      const id = req.params[scope.param];
      if (scope.type === 'zone') {
        const zone = store.zones.get(id);
        return zone ? { id: zone.id, type: 'zone', name: zone.name } : routeError(req.path);
      }
      return id === store.settings.accountId ? { id, type: 'account' } : routeError(req.path);
    };
    const isScope = (x: AccessRule['scope'] | SimResponse): x is AccessRule['scope'] => 'type' in x && 'id' in x;
    const inScope = (s: AccessRule['scope']) => (r: AccessRule) => r.scope.type === s.type && r.scope.id === s.id;

    router.add('GET', scope.path, (req) => {
      const s = scopeOf(req);
      if (!isScope(s)) return s;
      const page = readPage(req, { perPage: 20, min: 1, max: 1000 });
      if (isPageError(page)) return page;
      const q = (k: string): string | null => req.query.get(k);
      const tests: Array<(r: AccessRule) => boolean> = [];
      if (q('mode')) tests.push((r) => r.mode === q('mode'));
      if (q('configuration.target')) tests.push((r) => r.configuration.target === q('configuration.target'));
      if (q('configuration.value')) tests.push((r) => r.configuration.value === q('configuration.value'));
      if (q('notes')) tests.push((r) => r.notes.toLowerCase().includes(q('notes')!.toLowerCase()));
      const any = q('match') === 'any';
      const rules = [...store.accessRules.values()].filter(inScope(s)).filter((r) => tests.length === 0 || (any ? tests.some((t) => t(r)) : tests.every((t) => t(r))));
      const { items, info } = paginate(rules, page);
      return cfOk(items.map(render), info);
    });

    router.add('POST', scope.path, (req) => {
      const s = scopeOf(req);
      if (!isScope(s)) return s;
      const b = (req.body ?? {}) as { mode?: unknown; configuration?: { target?: unknown; value?: unknown }; notes?: unknown };
      if (typeof b.mode !== 'string' || !MODES.includes(b.mode)) return invalid(`mode must be one of ${MODES.join(', ')}`);
      const target = b.configuration?.target;
      const value = b.configuration?.value;
      if (typeof target !== 'string' || !TARGETS.includes(target)) return invalid(`configuration.target must be one of ${TARGETS.join(', ')}`);
      if (typeof value !== 'string' || value === '') return invalid('configuration.value is required');
      const why = validTarget(target, value);
      if (why) return invalid(why);
      if (b.notes !== undefined && typeof b.notes !== 'string') return invalid('notes must be a string');
      const normalisedValue = target === 'asn' ? value.toUpperCase() : value;
      if ([...store.accessRules.values()].some((r) => inScope(s)(r) && r.configuration.target === target && r.configuration.value === normalisedValue)) {
        return cfFail(400, { code: 10009, message: 'firewallaccessrules.api.duplicate_of_existing' });
      }
      const now = store.nowIso();
      const rule: AccessRule = {
        id: cfId(),
        mode: b.mode,
        notes: (b.notes as string | undefined) ?? '',
        configuration: { target, value: normalisedValue },
        scope: s,
        created_on: now,
        modified_on: now,
      };
      store.accessRules.set(rule.id, rule);
      return cfOk(render(rule));
    });

    const ruleOf = (req: SimRequest): AccessRule | SimResponse => {
      const s = scopeOf(req);
      if (!isScope(s)) return s;
      const rule = store.accessRules.get(req.params.id);
      return rule && inScope(s)(rule) ? rule : notFound();
    };
    const isRule = (x: AccessRule | SimResponse): x is AccessRule => 'configuration' in x;

    router.add('GET', `${scope.path}/:id`, (req) => {
      const rule = ruleOf(req);
      return isRule(rule) ? cfOk(render(rule)) : rule;
    });

    router.add('PATCH', `${scope.path}/:id`, (req) => {
      const rule = ruleOf(req);
      if (!isRule(rule)) return rule;
      const b = (req.body ?? {}) as { mode?: unknown; notes?: unknown };
      if (b.mode !== undefined && (typeof b.mode !== 'string' || !MODES.includes(b.mode))) return invalid(`mode must be one of ${MODES.join(', ')}`);
      if (b.notes !== undefined && typeof b.notes !== 'string') return invalid('notes must be a string');
      if (typeof b.mode === 'string') rule.mode = b.mode;
      if (typeof b.notes === 'string') rule.notes = b.notes;
      rule.modified_on = store.nowIso();
      return cfOk(render(rule));
    });

    router.add('DELETE', `${scope.path}/:id`, (req) => {
      const rule = ruleOf(req);
      if (!isRule(rule)) return rule;
      store.accessRules.delete(rule.id);
      return cfOk({ id: rule.id });
    });
  }
}
