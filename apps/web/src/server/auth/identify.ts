import 'server-only';
import { AppError } from '@baton/engine';
import type { ClientInfo, Identity } from '@baton/engine/identity';
import { webEnv } from '../env';
import { services } from '../services';
import { recordSignIn } from '../api/audit';

export interface Caller {
  /** What records say the caller did things as: the user's e-mail (`local-admin` without sign-in). */
  id: string;
  kind: 'user' | 'anonymous' | 'local';
  /** The user's id (empty for anonymous and local callers). */
  userId: string;
  email?: string;
  name?: string | null;
  /** Admin of every tenant (the first admin, and the local caller of BATON_AUTH=none). */
  instanceAdmin: boolean;
  via?: Identity['via'];
  client: ClientInfo;
}

export const SESSION_COOKIE = 'baton_session';

export function clientInfo(request: Request): ClientInfo {
  // next start puts the peer address in x-forwarded-for; a proxy in front appends to it.
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return { address: (forwarded || request.headers.get('x-real-ip') || 'unknown').slice(0, 100), userAgent: request.headers.get('user-agent')?.slice(0, 300) ?? undefined };
}

export function anonymous(request: Request): Caller {
  return { id: 'anonymous', kind: 'anonymous', userId: '', instanceAdmin: false, client: clientInfo(request) };
}

function fromIdentity(identity: Identity, request: Request): Caller {
  return {
    id: identity.email,
    kind: 'user',
    userId: identity.userId,
    email: identity.email,
    name: identity.name,
    instanceAdmin: identity.instanceAdmin,
    via: identity.via,
    client: clientInfo(request),
  };
}

export function cookieValue(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

let adminReady: Promise<unknown> | undefined;

/** The configured admin exists (and has the configured password) before anyone is checked. */
function ensureConfiguredAdmin() {
  const env = webEnv();
  if (!env.adminEmail || !env.adminPassword) return Promise.resolve();
  return (adminReady ??= services()
    .identity.ensureAdmin(env.adminEmail, env.adminPassword)
    .catch((error) => {
      adminReady = undefined; // try again on the next request (the database may have been away)
      throw error;
    }));
}

/**
 * The caller of a public route (health, setup, sign-in). The configured admin is made first: the
 * setup page must not offer to create another admin, nor the sign-in form refuse the configured
 * one, just because nothing else was asked yet. A database that is away does not stop health.
 */
export async function anonymousCaller(request: Request): Promise<Caller> {
  if (webEnv().authMode !== 'none') await ensureConfiguredAdmin().catch(() => undefined);
  return anonymous(request);
}

/**
 * The one place that decides who is calling. Every API route goes through it (see
 * server/api/handler.ts); what the caller may do is decided next to the router (access-rules.ts).
 *
 * Accepted, in this order: `Authorization: Basic` (a user's e-mail and password, throttled) or
 * `Bearer` (an API token), schemes case-insensitive; then the browser's session cookie. With
 * BATON_AUTH=none everyone is the local administrator.
 */
export async function identify(request: Request): Promise<Caller> {
  const env = webEnv();
  if (env.authMode === 'none') return { id: 'local-admin', kind: 'local', userId: '', instanceAdmin: true, via: 'local', client: clientInfo(request) };
  await ensureConfiguredAdmin();
  const { identity } = services();
  const header = request.headers.get('authorization');
  if (header) {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer') return fromIdentity(await identity.tokenIdentity(value), request);
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new AppError('UNAUTHORIZED', 'HTTP Basic credentials must be base64 of email:password');
      try {
        return fromIdentity(await identity.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1), clientInfo(request)), request);
      } catch (error) {
        // A wrong password over Basic is a failed sign-in like one on the sign-in page (throttled answers are not recorded again).
        if (error instanceof AppError && error.status === 401)
          await recordSignIn('auth.signin.failed', { email: decoded.slice(0, Math.min(colon, 254)) }, clientInfo(request), { via: 'basic' });
        throw error;
      }
    }
    throw new AppError('UNAUTHORIZED', `the Authorization scheme '${scheme.slice(0, 20)}' is not accepted; use Bearer <API token> or Basic <email:password>`);
  }
  const session = cookieValue(request, SESSION_COOKIE);
  if (session) {
    const found = await identity.sessionIdentity(session);
    if (!found) throw new AppError('UNAUTHORIZED', 'your session has expired or was ended; sign in again');
    checkSameOrigin(request);
    return fromIdentity(found, request);
  }
  if (!(await identity.hasUsers())) {
    throw new AppError(
      'UNAUTHORIZED',
      'Baton is not set up yet: open the one-time setup link that npm start printed (or set BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD and restart)',
    );
  }
  throw new AppError('UNAUTHORIZED', 'sign in: send a session cookie (the sign-in page), Authorization: Bearer <API token>, or HTTP Basic email:password');
}

/**
 * The caller of an App's use routes (rule `appUse`), where a PUBLIC app must answer people who
 * are not signed in: no Authorization header and no valid session is the anonymous caller (the
 * app's own access then decides). An Authorization header that fails is still a 401, so a
 * script's wrong token is reported, not quietly treated as nobody.
 */
export async function identifyOrAnonymous(request: Request): Promise<Caller> {
  if (request.headers.get('authorization')) return identify(request);
  try {
    return await identify(request);
  } catch (error) {
    if (error instanceof AppError && error.status === 401) return anonymous(request);
    throw error;
  }
}

/**
 * A cookie rides along on requests other sites make the browser send: a write authenticated by
 * the cookie must come from Baton's own pages (SameSite=Lax already stops cross-site POSTs; this
 * also covers same-site neighbours).
 */
function checkSameOrigin(request: Request) {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const origin = request.headers.get('origin');
  if (!origin) return;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = '';
  }
  if (!host || originHost !== host) throw new AppError('FORBIDDEN', `a request from ${origin.slice(0, 100)} may not use the Baton session cookie; use an API token`);
}

/**
 * Kept for routes written before roles existed (`requireRole(caller, 'admin')`): the instance
 * administrator only. New routes declare their rule in api/access-rules.ts instead.
 */
export function requireRole(caller: Caller, role: 'admin') {
  if (!caller.instanceAdmin) throw new AppError('FORBIDDEN', `${caller.id} is not the instance administrator, who alone has the ${role} role`);
}
