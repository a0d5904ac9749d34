// Sign-in with an OpenID Connect provider: the full authorization code flow between a real local
// OIDC server and a web app of its own (next-auth 4 at /api/auth/*), followed redirect by redirect
// with a cookie jar as a browser would. The user is made, the groups claim fills Baton groups
// whose bindings give access, and a group the claim drops takes that access away at the next
// sign-in. A wrong client secret ends on the sign-in page with a reason, never a 500.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, startOidcServer } from '@baton/testing';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

const admin = api();
const CLIENT = { clientId: 'baton-test', clientSecret: 'oidc-client-secret-for-tests' };
let oidc: Awaited<ReturnType<typeof startOidcServer>>;
let web: { url: string; child: unknown };

/** Cookies per host name, as a browser keeps them (ports share cookies). */
class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();
  header(url: string) {
    const jar = this.byHost.get(new URL(url).hostname);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
  store(url: string, response: Response) {
    const host = new URL(url).hostname;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    this.byHost.set(host, jar);
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (!value || /max-age=0/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
  }
  get(url: string, name: string) {
    return this.byHost.get(new URL(url).hostname)?.get(name);
  }
}

/**
 * Clicks "Sign in with …" the way next-auth/react does (CSRF token, POST), then follows every
 * redirect through the provider and back. Returns where the browser ends up and the jar.
 */
async function signInWithOidc(next = '/main/flows') {
  const jar = new CookieJar();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) } });
    jar.store(url, res);
    return res;
  };
  const csrf = await go(`${web.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const start = await go(`${web.url}/api/auth/signin/oidc`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${web.url}${next}`, json: 'true' }).toString(),
  });
  expect(start.status).toBe(200);
  let url = ((await start.json()) as { url: string }).url;
  expect(url.startsWith(`${oidc.issuer}/authorize?`), url).toBe(true);
  const statuses: number[] = [];
  // Follow redirects while they lead to the provider or to next-auth's routes; a page is the end.
  for (let hops = 0; hops < 10; hops++) {
    const res = await go(url);
    statuses.push(res.status);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return { url, status: res.status, statuses, jar };
    url = new URL(location, url).toString();
    if (url.startsWith(web.url) && !new URL(url).pathname.startsWith('/api/')) return { url, status: res.status, statuses, jar };
  }
  throw new Error(`too many redirects, last ${url}`);
}

async function asSession(jar: CookieJar, pathname: string) {
  const session = jar.get(web.url, 'baton_session');
  const res = await fetch(`${web.url}${pathname}`, { headers: session ? { cookie: `baton_session=${session}` } : {} });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

async function lastAudit(action: string, actor?: string) {
  const res = await admin.call('GET', `/api/v1/main/auditlogs/search?action=${action}${actor ? `&actor=${encodeURIComponent(actor)}` : ''}&size=1`);
  return res.body.results[0];
}

beforeAll(async () => {
  oidc = await startOidcServer({
    ...CLIENT,
    user: { sub: 'kc-olivia', email: 'Olivia@Example.com', email_verified: true, name: 'Olivia Ops', groups: ['/platform', 'oncall'] },
  });
  const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
  const port = await stack.freePort();
  web = await stack.startWeb({
    port,
    env: {
      ...env,
      BATON_ADMIN_EMAIL: inject('adminEmail'),
      BATON_ADMIN_PASSWORD: inject('adminPassword'),
      BATON_PUBLIC_URL: `http://127.0.0.1:${port}`,
      BATON_OIDC_ISSUER: oidc.issuer,
      BATON_OIDC_CLIENT_ID: CLIENT.clientId,
      BATON_OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      BATON_OIDC_NAME: 'Keycloak',
    },
    quiet: true,
    logFile: path.join(stack.root, 'test-results/web-oidc.log'),
  });
  // A flow in the namespace the `platform` group will see, and one it will not.
  for (const ns of ['oidc.team', 'oidc.other']) {
    expect((await admin.deploy(`id: hello\nnamespace: ${ns}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`)).status).toBeLessThan(300);
  }
}, 240_000);

afterAll(async () => {
  if (web) await stack.stopProcess(web.child);
  await oidc?.close();
});

describe('OIDC sign-in', () => {
  let oliviaId = '';

  it('lists the provider for the sign-in page', async () => {
    const res = await fetch(`${web.url}/api/auth/providers`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ oidc: { id: 'oidc', name: 'Keycloak' } });
    // The shared stack has no OIDC: no provider, and no error for the page to show.
    expect(await (await fetch(`${inject('apiUrl')}/api/auth/providers`)).json()).toEqual({});
  });

  it("makes the user, fills the groups from the claim, and issues Baton's own session", async () => {
    const { url, jar } = await signInWithOidc('/main/flows');
    expect(url).toBe(`${web.url}/main/flows`);
    expect(jar.get(web.url, 'baton_session')).toBeTruthy();
    // next-auth's session is not kept: Baton's cookie is the only one identify.ts reads.
    expect(jar.get(web.url, 'next-auth.session-token')).toBeUndefined();
    const me = await asSession(jar, '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'olivia@example.com', name: 'Olivia Ops', via: 'session', instanceAdmin: false });
    oliviaId = me.body.id;
    const groups = (await admin.call('GET', '/api/v1/main/groups')).body as { id: string; source: string | null; members: string[] }[];
    expect(groups.find((g) => g.id === 'platform')).toMatchObject({ source: 'oidc', members: [oliviaId] });
    expect(groups.find((g) => g.id === 'oncall')).toMatchObject({ source: 'oidc', members: [oliviaId] });
    const audit = await lastAudit('auth.signin', 'olivia@example.com');
    expect(audit.after).toMatchObject({ via: 'oidc', provider: 'Keycloak', issuer: oidc.issuer, userCreated: true, groups: { added: ['oncall', 'platform'] } });
  });

  it('a binding on a claimed group gives access; the claim dropping the group takes it away at the next sign-in', async () => {
    expect((await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'GROUP', id: 'platform' }, role: 'VIEWER', namespace: 'oidc.team' })).status).toBe(201);
    // A group an Admin made and put Olivia in: the claim does not decide its membership.
    expect((await admin.call('POST', '/api/v1/main/groups', { id: 'oidc-auditors' })).status).toBe(201);
    expect((await admin.call('PUT', `/api/v1/main/groups/oidc-auditors/members/${oliviaId}`)).status).toBe(200);

    let { jar } = await signInWithOidc();
    expect((await asSession(jar, '/api/v1/main/flows/oidc.team/hello')).status).toBe(200);
    const other = await asSession(jar, '/api/v1/main/flows/oidc.other/hello');
    expect(other.status).toBe(403);
    expect(other.body.message).toContain('olivia@example.com lacks flows.read in namespace oidc.other');
    expect((await lastAudit('auth.signin', 'olivia@example.com')).after).toMatchObject({ userCreated: false, groups: { added: [], removed: [] } });

    oidc.state.user = { ...oidc.state.user, groups: ['oncall'] };
    ({ jar } = await signInWithOidc());
    expect((await asSession(jar, '/api/v1/main/flows/oidc.team/hello')).status).toBe(403);
    const groups = (await admin.call('GET', '/api/v1/main/groups')).body as { id: string; members: string[] }[];
    expect(groups.find((g) => g.id === 'platform')?.members).toEqual([]);
    expect(groups.find((g) => g.id === 'oncall')?.members).toEqual([oliviaId]);
    expect(groups.find((g) => g.id === 'oidc-auditors')?.members).toEqual([oliviaId]);
    expect((await lastAudit('auth.signin', 'olivia@example.com')).after.groups).toMatchObject({ removed: ['platform'], member: ['oidc-auditors', 'oncall'] });
    // The same person again, not a second user.
    const users = (await admin.call('GET', '/api/v1/main/users')).body as { email: string }[];
    expect(users.filter((u) => u.email === 'olivia@example.com')).toHaveLength(1);
  });

  it('a wrong client secret ends on the sign-in page with a reason, not a 500, and is audited', async () => {
    oidc.state.clientSecret = 'rotated-at-the-provider';
    try {
      const refusedBefore = oidc.state.refusedClients;
      const { url, statuses, jar } = await signInWithOidc();
      expect(oidc.state.refusedClients).toBe(refusedBefore + 1);
      expect(url).toBe(`${web.url}/signin?error=oidc-failed`);
      expect(statuses.every((s) => s < 500)).toBe(true);
      expect(jar.get(web.url, 'baton_session')).toBeUndefined();
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const failed = await lastAudit('auth.signin.failed');
      expect(failed.after).toMatchObject({ via: 'oidc', provider: 'Keycloak' });
      expect(failed.after.reason).toContain('invalid_client');
      expect(JSON.stringify(failed)).not.toContain(CLIENT.clientSecret);
    } finally {
      oidc.state.clientSecret = CLIENT.clientSecret;
    }
  });

  it('links an existing user only by a verified e-mail, and refuses a disabled user', async () => {
    expect((await admin.call('POST', '/api/v1/main/users', { email: 'uma@example.com', name: 'Uma' })).status).toBe(201);
    oidc.state.user = { sub: 'kc-uma', email: 'uma@example.com', email_verified: false, groups: [] };
    expect((await signInWithOidc()).url).toBe(`${web.url}/signin?error=oidc-email-unverified`);
    expect((await lastAudit('auth.signin.failed', 'uma@example.com')).after.reason).toContain('has not verified');

    oidc.state.user = { ...oidc.state.user, email_verified: true };
    const linked = await signInWithOidc();
    expect((await asSession(linked.jar, '/api/v1/me')).body).toMatchObject({ email: 'uma@example.com', name: 'Uma' });

    const uma = ((await admin.call('GET', '/api/v1/main/users')).body as { id: string; email: string }[]).find((u) => u.email === 'uma@example.com')!;
    expect((await admin.call('PATCH', `/api/v1/main/users/${uma.id}`, { disabled: true })).status).toBe(200);
    const refused = await signInWithOidc();
    expect(refused.url).toBe(`${web.url}/signin?error=oidc-disabled`);
    expect(refused.jar.get(web.url, 'baton_session')).toBeUndefined();
  });
});
