import 'server-only';
import { SESSION_TTL_MS } from '@baton/engine/services/identity/identity-service';
import { SESSION_COOKIE } from './identify';

/** The `baton_session` cookie: HttpOnly, SameSite=Lax, Secure behind https. Max-Age 0 clears it. */
export function sessionCookie(request: Request, secret: string, maxAgeSeconds = Math.floor(SESSION_TTL_MS / 1000)) {
  const secure = (request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '')) === 'https';
  return `${SESSION_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}
