import crypto from 'node:crypto';
import type { Db } from '@baton/db';
import { AppError } from '../app-error';
import { ACCOUNT_RULE, ADDRESS_RULE, LoginThrottle } from './login-throttle';
import { digest, hashPassword, PASSWORD_MAX, PASSWORD_MIN, randomSecret, verifyPassword } from './passwords';

/** Who a request comes from once its credentials were checked. */
export interface Identity {
  userId: string;
  email: string;
  name: string | null;
  /** The first admin: Admin of every tenant. */
  instanceAdmin: boolean;
  via: 'session' | 'token' | 'basic' | 'local';
}

/** Where a sign-in attempt came from (kept with sessions; the audit log records it too). */
export interface ClientInfo {
  address: string;
  userAgent?: string;
}

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  instanceAdmin: boolean;
  disabled: boolean;
  created: string;
  lastLogin: string | null;
}

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  created: string;
  expires: string | null;
  lastUsed: string | null;
  revoked: string | null;
}

export const SESSION_TTL_MS = 12 * 60 * 60_000;
const TOKEN_PREFIX = 'baton_';
const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,189}$/;
/** last_used_at is written at most this often per token, so a busy script costs no write per call. */
const LAST_USED_EVERY_MS = 60_000;

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

function checkEmail(email: unknown): string {
  if (typeof email !== 'string' || !EMAIL.test(normalizeEmail(email))) {
    throw new AppError('BAD_REQUEST', 'email must be an address such as ada@example.com (at most 254 characters)');
  }
  return normalizeEmail(email);
}

export function checkNewPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new AppError('BAD_REQUEST', `a password is a string of ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  }
  return password;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function userView(u: { id: string; email: string; name: string | null; instanceAdmin: boolean; disabled: boolean; createdAt: Date; lastLoginAt: Date | null }): UserView {
  return { id: u.id, email: u.email, name: u.name, instanceAdmin: u.instanceAdmin, disabled: u.disabled, created: u.createdAt.toISOString(), lastLogin: iso(u.lastLoginAt) };
}

function tokenView(t: { id: string; name: string; prefix: string; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null }): ApiTokenView {
  return { id: t.id, name: t.name, prefix: t.prefix, created: t.createdAt.toISOString(), expires: iso(t.expiresAt), lastUsed: iso(t.lastUsedAt), revoked: iso(t.revokedAt) };
}

/**
 * Users, passwords, browser sessions and API tokens. Secrets (passwords, session cookies, tokens)
 * are never stored or returned as given: passwords as argon2id hashes, the others as SHA-256.
 */
export class IdentityService {
  readonly throttle = new LoginThrottle();
  private anyUser = false;
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(private readonly db: Db) {}

  /** True once any user exists (the setup page is offered until then). Cached once true. */
  async hasUsers(): Promise<boolean> {
    if (this.anyUser) return true;
    this.anyUser = (await this.db.user.count()) > 0;
    return this.anyUser;
  }

  /**
   * The admin named by BATON_ADMIN_EMAIL/BATON_ADMIN_PASSWORD: created when missing, its password
   * reset to the configured one when it differs (so changing the variable and restarting works).
   */
  async ensureAdmin(email: string, password: string): Promise<UserView> {
    const address = checkEmail(email);
    const existing = await this.db.user.findUnique({ where: { email: address } });
    if (existing && existing.instanceAdmin && !existing.disabled && (await verifyPassword(existing.passwordHash, password))) return userView(existing);
    const passwordHash = await hashPassword(password);
    const user = existing
      ? await this.db.user.update({ where: { id: existing.id }, data: { passwordHash, instanceAdmin: true, disabled: false } })
      : await this.db.user.create({ data: { id: crypto.randomUUID(), email: address, passwordHash, instanceAdmin: true } });
    this.anyUser = true;
    return userView(user);
  }

  /**
   * The first admin, from the one-time setup page. Refused once any user exists, inside a
   * transaction-level advisory lock so two people opening the link at once cannot both succeed.
   */
  async createFirstAdmin(input: Record<string, unknown>): Promise<UserView> {
    const email = checkEmail(input.email);
    const passwordHash = await hashPassword(checkNewPassword(input.password));
    const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim().slice(0, 200) : null;
    const user = await this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('baton.first-admin'))`;
      if ((await tx.user.count()) > 0) throw new AppError('CONFLICT', 'Baton is already set up; sign in instead');
      return tx.user.create({ data: { id: crypto.randomUUID(), email, name, passwordHash, instanceAdmin: true } });
    });
    this.anyUser = true;
    return userView(user);
  }

  async createUser(input: Record<string, unknown>): Promise<UserView> {
    const email = checkEmail(input.email);
    const passwordHash = input.password === undefined ? null : await hashPassword(checkNewPassword(input.password));
    if (input.name !== undefined && (typeof input.name !== 'string' || input.name.length > 200)) throw new AppError('BAD_REQUEST', 'name is a string of at most 200 characters');
    const exists = await this.db.user.findUnique({ where: { email } });
    if (exists) throw new AppError('CONFLICT', `a user with the e-mail ${email} already exists (id ${exists.id})`);
    const user = await this.db.user.create({ data: { id: crypto.randomUUID(), email, name: (input.name as string | undefined) ?? null, passwordHash } });
    this.anyUser = true;
    return userView(user);
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.db.user.findMany({ orderBy: { email: 'asc' } })).map(userView);
  }

  async getUser(id: string): Promise<UserView> {
    const user = await this.db.user.findUnique({ where: { id } });
    if (!user) throw new AppError('NOT_FOUND', `no user with id ${id.slice(0, 80)}; GET /api/v1/{tenant}/users lists them`);
    return userView(user);
  }

  /** Changes name, password or disabled. Disabling ends the user's sessions; tokens stop working at once. */
  async updateUser(id: string, input: { name?: unknown; password?: unknown; disabled?: unknown }): Promise<UserView> {
    const current = await this.getUser(id);
    const data: { name?: string | null; passwordHash?: string; disabled?: boolean } = {};
    if (input.name !== undefined) {
      if (input.name !== null && (typeof input.name !== 'string' || input.name.length > 200))
        throw new AppError('BAD_REQUEST', 'name is a string of at most 200 characters, or null');
      data.name = input.name as string | null;
    }
    if (input.password !== undefined) data.passwordHash = await hashPassword(checkNewPassword(input.password));
    if (input.disabled !== undefined) {
      if (typeof input.disabled !== 'boolean') throw new AppError('BAD_REQUEST', 'disabled is true or false');
      data.disabled = input.disabled;
    }
    const user = await this.db.user.update({ where: { id: current.id }, data });
    if (data.disabled || data.passwordHash) await this.db.userSession.deleteMany({ where: { userId: id } });
    return userView(user);
  }

  // ---- passwords ----------------------------------------------------------------------------

  /**
   * Checks an e-mail and password, throttled per account and per address: past the allowance
   * the answer is 429 "try again in N s" without checking anything. Every attempt costs one
   * argon2 verification, whether the account exists or not.
   */
  async checkPassword(emailRaw: string, password: string, client: ClientInfo): Promise<Identity> {
    const email = normalizeEmail(emailRaw).slice(0, 254);
    const accountKey = `account:${email}`;
    const addressKey = `address:${client.address}`;
    const wait = Math.max(this.throttle.waitSeconds(accountKey, ACCOUNT_RULE), this.throttle.waitSeconds(addressKey, ADDRESS_RULE));
    if (wait > 0) {
      const error = new AppError('TOO_MANY_REQUESTS', `too many failed sign-ins for this account or address; try again in ${wait} s`);
      error.retryAfter = wait;
      throw error;
    }
    const user = await this.db.user.findUnique({ where: { email } });
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!ok || !user || user.disabled) {
      this.throttle.fail(accountKey, ACCOUNT_RULE);
      this.throttle.fail(addressKey, ADDRESS_RULE);
      throw new AppError('UNAUTHORIZED', 'wrong e-mail or password');
    }
    this.throttle.succeed(accountKey);
    return { userId: user.id, email: user.email, name: user.name, instanceAdmin: user.instanceAdmin, via: 'basic' };
  }

  // ---- browser sessions ---------------------------------------------------------------------

  /** Starts a session; the returned secret goes into the cookie and is stored only as its digest. */
  async createSession(userId: string, client: ClientInfo, ttlMs = SESSION_TTL_MS): Promise<{ secret: string; expires: Date }> {
    const secret = randomSecret();
    const expires = new Date(Date.now() + ttlMs);
    await this.db.userSession.create({
      data: { tokenHash: digest(secret), userId, expiresAt: expires, address: client.address.slice(0, 100), userAgent: client.userAgent?.slice(0, 300) },
    });
    await this.db.user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } });
    return { secret, expires };
  }

  async sessionIdentity(secret: string): Promise<Identity | undefined> {
    const session = await this.db.userSession.findUnique({ where: { tokenHash: digest(secret) } });
    if (!session || session.expiresAt.getTime() <= Date.now()) return undefined;
    const user = await this.db.user.findUnique({ where: { id: session.userId } });
    if (!user || user.disabled) return undefined;
    return { userId: user.id, email: user.email, name: user.name, instanceAdmin: user.instanceAdmin, via: 'session' };
  }

  async endSession(secret: string): Promise<void> {
    await this.db.userSession.deleteMany({ where: { tokenHash: digest(secret) } });
  }

  // ---- API tokens ---------------------------------------------------------------------------

  /** Creates a token for a user; the token itself is in the answer once and never again. */
  async createApiToken(userId: string, input: { name?: unknown; expires?: unknown }): Promise<{ token: string } & ApiTokenView> {
    await this.getUser(userId);
    if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 100)
      throw new AppError('BAD_REQUEST', 'send {"name": "ci-deploy"} (a name of 1 to 100 characters) and optionally "expires" (ISO-8601)');
    let expiresAt: Date | null = null;
    if (input.expires !== undefined && input.expires !== null) {
      expiresAt = typeof input.expires === 'string' ? new Date(input.expires) : new Date(NaN);
      if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now() || expiresAt.getFullYear() > 9999) {
        throw new AppError('BAD_REQUEST', 'expires must be an ISO-8601 date-time in the future, such as 2027-01-31T00:00:00Z');
      }
    }
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    const row = await this.db.apiToken.create({
      data: { id: crypto.randomUUID(), userId, name: input.name.trim(), tokenHash: digest(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6), expiresAt },
    });
    return { token, ...tokenView(row) };
  }

  async listApiTokens(userId: string): Promise<ApiTokenView[]> {
    await this.getUser(userId);
    return (await this.db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } })).map(tokenView);
  }

  /** Revokes a token (kept, with its revocation time, for the record). */
  async revokeApiToken(userId: string, tokenId: string): Promise<ApiTokenView> {
    const row = await this.db.apiToken.findFirst({ where: { id: tokenId, userId } });
    if (!row) throw new AppError('NOT_FOUND', `user ${userId.slice(0, 80)} has no API token ${tokenId.slice(0, 80)}`);
    const revoked = row.revokedAt ? row : await this.db.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    return tokenView(revoked);
  }

  /** The identity behind a Bearer token, or a 401 that says whether it was revoked or expired. */
  async tokenIdentity(token: string): Promise<Identity> {
    const row = token.startsWith(TOKEN_PREFIX) && token.length < 200 ? await this.db.apiToken.findUnique({ where: { tokenHash: digest(token) } }) : null;
    if (!row) throw new AppError('UNAUTHORIZED', 'the Bearer token is not a valid Baton API token');
    if (row.revokedAt) throw new AppError('UNAUTHORIZED', `the API token '${row.name}' was revoked; create a new one`);
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now())
      throw new AppError('UNAUTHORIZED', `the API token '${row.name}' expired at ${row.expiresAt.toISOString()}; create a new one`);
    const user = await this.db.user.findUnique({ where: { id: row.userId } });
    if (!user || user.disabled) throw new AppError('UNAUTHORIZED', 'the API token belongs to a disabled user');
    const last = this.lastUsedWritten.get(row.id) ?? 0;
    if (Date.now() - last > LAST_USED_EVERY_MS) {
      this.lastUsedWritten.set(row.id, Date.now());
      await this.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
    }
    return { userId: user.id, email: user.email, name: user.name, instanceAdmin: user.instanceAdmin, via: 'token' };
  }
}
