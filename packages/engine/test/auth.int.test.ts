// Sign-in against the real web app: Basic (any case), API tokens, sessions, throttling, setup,
// and the defects of the first sign-in (issue #8) each pinned down.
import { describe, expect, inject, it } from 'vitest';
import { api, rawRequest } from '@baton/testing';

const admin = api();
const basic = (email: string, password: string, scheme = 'Basic') => `${scheme} ${Buffer.from(`${email}:${password}`).toString('base64')}`;
/** A client address of its own, so this file's failed sign-ins never lock another test's. */
const from = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });

async function get(path: string, headers: Record<string, string>) {
  return rawRequest(inject('apiUrl'), { method: 'GET', path, headers });
}

async function newUser(email: string, password = 'a-long-password') {
  const res = await admin.call('POST', '/api/v1/main/users', { email, password });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; email: string };
}

describe('identification', () => {
  it('answers 401 without credentials, with a Bearer challenge (no browser password pop-up)', async () => {
    const res = await get('/api/v1/main/flows/search', { authorization: '' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="baton"');
    expect(res.json.message).toMatch(/sign in/);
  });

  it('keeps the health probe anonymous and saying nothing sensitive', async () => {
    const res = await get('/api/health', { authorization: '' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'UP', database: 'UP' });
  });

  it('accepts HTTP Basic with the scheme in any case', async () => {
    for (const scheme of ['Basic', 'basic', 'BASIC']) {
      const res = await get('/api/v1/me', { authorization: basic(inject('adminEmail'), inject('adminPassword'), scheme), ...from(1) });
      expect(res.status, scheme).toBe(200);
      expect(res.json.email).toBe(inject('adminEmail'));
    }
    const bearer = await get('/api/v1/me', { authorization: `bearer ${inject('apiToken')}` });
    expect(bearer.status).toBe(200);
    expect(bearer.json.via).toBe('token');
  });

  it('refuses a wrong password for a known and an unknown account alike, and an unknown scheme', async () => {
    const known = await get('/api/v1/me', { authorization: basic(inject('adminEmail'), 'wrong-password'), ...from(2) });
    const unknown = await get('/api/v1/me', { authorization: basic('nobody@baton.test', 'wrong-password'), ...from(2) });
    expect([known.status, unknown.status]).toEqual([401, 401]);
    expect(known.json.message).toBe(unknown.json.message);
    const digest = await get('/api/v1/me', { authorization: 'Digest abc' });
    expect(digest.status).toBe(401);
    expect(digest.json.message).toMatch(/Bearer .* or Basic/);
  });

  it('throttles repeated wrong passwords with "try again in N s" and Retry-After', async () => {
    const user = await newUser('throttled@baton.test');
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof get>> | undefined;
    for (let i = 0; i < 50; i++) {
      last = await get('/api/v1/me', { authorization: basic(user.email, `guess-${i}`), ...from(3) });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40);
    expect(last!.json.message).toMatch(/try again in \d+ s/);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // Locked means locked: even the right password waits, so guessing gains nothing.
    const right = await get('/api/v1/me', { authorization: basic(user.email, 'a-long-password'), ...from(4) });
    expect(right.status).toBe(429);
    // Another account from another address is not affected.
    const other = await newUser('not-throttled@baton.test');
    expect((await get('/api/v1/me', { authorization: basic(other.email, 'a-long-password'), ...from(5) })).status).toBe(200);
  });

  it('throttles per address too: many accounts guessed from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await get('/api/v1/me', { authorization: basic(`spray-${i}@baton.test`, 'password1'), ...from(6) })).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(21)).toContain(429);
  });
});

describe('API tokens', () => {
  it('are shown once, listed without the token, used as Bearer, and refused once revoked', async () => {
    const user = await newUser('token-owner@baton.test');
    const created = await admin.call('POST', `/api/v1/main/users/${user.id}/api-tokens`, { name: 'ci' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^baton_/);
    const listed = await admin.call('GET', `/api/v1/main/users/${user.id}/api-tokens`);
    expect(listed.body).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect(listed.body[0]).toMatchObject({ name: 'ci', revoked: null, prefix: created.body.token.slice(0, 12) });

    const me = await get('/api/v1/me', { authorization: `Bearer ${created.body.token}` });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe(user.email);
    const used = await admin.call('GET', `/api/v1/main/users/${user.id}/api-tokens`);
    expect(used.body[0].lastUsed).not.toBeNull();

    const revoked = await admin.call('DELETE', `/api/v1/main/users/${user.id}/api-tokens/${created.body.id}`);
    expect(revoked.status).toBe(200);
    const after = await get('/api/v1/me', { authorization: `Bearer ${created.body.token}` });
    expect(after.status).toBe(401);
    expect(after.json.message).toMatch(/revoked/);
  });

  it('refuses an expiry in the past and a token that is not one of ours', async () => {
    const user = await newUser('token-expiry@baton.test');
    const past = await admin.call('POST', `/api/v1/main/users/${user.id}/api-tokens`, { name: 'old', expires: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect((await get('/api/v1/me', { authorization: 'Bearer baton_madeup' })).status).toBe(401);
  });

  it('are stored hashed: the database never holds the token', async () => {
    const user = await newUser('token-hash@baton.test');
    const created = await admin.call('POST', `/api/v1/main/users/${user.id}/api-tokens`, { name: 'hash' });
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT * FROM api_tokens WHERE id = $1', [created.body.id]);
      expect(JSON.stringify(rows)).not.toContain(created.body.token);
      const users = await client.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
      expect(users.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    } finally {
      await client.end();
    }
  });
});

describe('browser sessions', () => {
  it('sign in sets an HttpOnly cookie that identifies; sign out ends it', async () => {
    const user = await newUser('session@baton.test');
    const login = await rawRequest(inject('apiUrl'), {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { authorization: '', 'content-type': 'application/json', ...from(7) },
      body: JSON.stringify({ email: 'SESSION@baton.test', password: 'a-long-password' }),
    });
    expect(login.status, login.text).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/baton_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const cookie = setCookie.split(';')[0];
    const me = await get('/api/v1/me', { authorization: '', cookie });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: user.id, via: 'session' });

    // A write with the cookie from another origin is refused.
    const foreign = await rawRequest(inject('apiUrl'), {
      method: 'POST',
      path: '/api/v1/main/flows/validate',
      headers: { authorization: '', cookie, origin: 'https://evil.example', 'content-type': 'application/x-yaml' },
      body: 'id: x',
    });
    expect(foreign.status).toBe(403);

    const logout = await rawRequest(inject('apiUrl'), { method: 'POST', path: '/api/v1/auth/logout', headers: { authorization: '', cookie } });
    expect(logout.status).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/Max-Age=0/);
    const after = await get('/api/v1/me', { authorization: '', cookie });
    expect(after.status).toBe(401);
    expect(after.json.message).toMatch(/session has expired or was ended/);
  });

  it('a wrong password at the sign-in route is 401 and stores no session', async () => {
    const res = await rawRequest(inject('apiUrl'), {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { authorization: '', 'content-type': 'application/json', ...from(8) },
      body: JSON.stringify({ email: inject('adminEmail'), password: 'nope' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('first start', () => {
  it('offers no setup once an admin exists, and refuses a wrong setup token', async () => {
    const state = await get('/api/v1/setup', { authorization: '' });
    expect(state.json).toEqual({ required: false, authMode: 'password' });
    const res = await rawRequest(inject('apiUrl'), {
      method: 'POST',
      path: '/api/v1/setup',
      headers: { authorization: '', 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'guess', email: 'x@y.z', password: 'long-enough-pw' }),
    });
    expect(res.status).toBe(403);
  });
});
