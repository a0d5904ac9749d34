import 'server-only';
import type { Access } from '../auth/authorize';
import type { Caller } from '../auth/identify';
import { serverLog } from '../log';
import { services } from '../services';
import { AUDIT_RULES } from './audit-rules';

/**
 * Appends the audit entry of a change that succeeded. The change is done by then: a failure to
 * record it is logged loudly (and the answer still given) rather than reported as a failed change.
 */
export async function recordChange(key: string, params: Record<string, string>, caller: Caller, access: Access, response: Response) {
  const spec = AUDIT_RULES[key];
  if (!spec) return;
  try {
    const body = /json/.test(response.headers.get('content-type') ?? '') ? await response.clone().json() : {};
    await services().audit.append({
      tenant: params.tenant ?? '',
      actor: caller.id,
      actorId: caller.userId,
      action: typeof spec.action === 'function' ? spec.action(params, body ?? {}) : spec.action,
      resource: spec.resource(params, body ?? {}),
      namespace: spec.namespace?.(params, body ?? {}) ?? access.namespace,
      address: caller.client.address,
      userAgent: caller.client.userAgent,
      before: spec.before?.(params, body ?? {}),
      after: spec.after?.(params, body ?? {}),
    });
  } catch (error) {
    serverLog().error({ route: key, actorId: caller.id, err: error }, 'could not record an audit entry');
  }
}

/** Sign-in events: they have no caller yet, so the sign-in routes record them themselves. */
export async function recordSignIn(
  action: 'auth.signin' | 'auth.signin.failed' | 'auth.signout' | 'setup.admin.created',
  who: { email: string; userId?: string },
  client: { address: string; userAgent?: string },
  after?: unknown,
) {
  try {
    await services().audit.append({
      tenant: '',
      actor: who.email,
      actorId: who.userId,
      action,
      resource: `user:${who.userId ?? who.email}`,
      address: client.address,
      userAgent: client.userAgent,
      after,
    });
  } catch (error) {
    serverLog().error({ action, actor: who.email, err: error }, 'could not record a sign-in audit entry');
  }
}
