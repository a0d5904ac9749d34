import 'server-only';
import crypto from 'node:crypto';
import { AppError } from '@baton/engine';
import { webEnv } from '../env';

export interface Caller {
  id: string;
  kind: 'user' | 'anonymous';
  roles: string[];
}

function safeEqual(a: string, b: string) {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/**
 * The one place that decides who is calling. Every API route goes through it (see
 * server/api/handler.ts), so sign-in, API tokens and roles plug in here without touching routes.
 *
 * Today: when BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD are set, requests must carry them as
 * HTTP Basic credentials; otherwise Baton runs in single-user local mode and the caller is the
 * local administrator (npm start prints this).
 */
export function identify(request: Request): Caller {
  const env = webEnv();
  if (!env.adminEmail || !env.adminPassword) return { id: 'local-admin', kind: 'anonymous', roles: ['admin'] };
  const header = request.headers.get('authorization') ?? '';
  if (header.startsWith('Basic ')) {
    const [email, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    if (safeEqual(email, env.adminEmail) && safeEqual(rest.join(':'), env.adminPassword)) return { id: email, kind: 'user', roles: ['admin'] };
  }
  throw new AppError('UNAUTHORIZED', 'sign in: send the admin e-mail and password as HTTP Basic credentials');
}

export function requireRole(caller: Caller, role: string) {
  if (!caller.roles.includes(role) && !caller.roles.includes('admin')) {
    throw new AppError('FORBIDDEN', `${caller.id} lacks the ${role} role`);
  }
}
