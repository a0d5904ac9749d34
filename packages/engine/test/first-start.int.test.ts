// First start without BATON_ADMIN_*: nothing but the health probe and the setup answers, until
// the first person opens the one-time link and creates the admin. A web app of its own, on a
// database of its own (no user in it), so the shared stack's admin does not count.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawRequest } from '@baton/testing';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

const SETUP_TOKEN = 'one-time-setup-token-for-the-test';
let web: { url: string; child: unknown } | undefined;
let scratch: { url: string; drop: () => Promise<void> } | undefined;

beforeAll(async () => {
  const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
  scratch = await stack.createScratchDatabase(inject('databaseUrl').replace(/\/[^/]+$/, '/postgres'), 'baton_first');
  stack.runMigrations(scratch!.url);
  web = await stack.startWeb({
    port: await stack.freePort(),
    env: { ...env, DATABASE_URL: scratch!.url, BATON_SETUP_TOKEN: SETUP_TOKEN },
    quiet: true,
    logFile: path.join(stack.root, 'test-results/web-first-start.log'),
  });
}, 180_000);

afterAll(async () => {
  if (web) await stack.stopProcess(web.child);
  await scratch?.drop();
});

const call = (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) =>
  rawRequest(web!.url, { method, path: p, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('first start', () => {
  it('answers only the health probe and the setup until the admin exists', async () => {
    expect((await call('GET', '/api/health')).status).toBe(200);
    expect((await call('GET', '/api/v1/setup')).json).toEqual({ required: true, authMode: 'password' });
    const flows = await call('GET', '/api/v1/main/flows/search');
    expect(flows.status).toBe(401);
    expect(flows.json.message).toContain('not set up yet');
    // A page shows no shell and no data: only the way to the sign-in page.
    const page = await rawRequest(web!.url, { method: 'GET', path: '/main/flows' });
    expect(page.text).toContain('data-signin-redirect');
    expect(page.text).not.toContain('Main navigation');
  });

  it('creates the first admin with the token of the link, signs them in, and then refuses a second setup', async () => {
    expect((await call('POST', '/api/v1/setup', { token: 'wrong', email: 'first@baton.test', password: 'first-password' })).status).toBe(403);
    const created = await call('POST', '/api/v1/setup', { token: SETUP_TOKEN, email: 'first@baton.test', password: 'first-password' });
    expect(created.status, created.text).toBe(201);
    const cookie = String(created.headers['set-cookie']).split(';')[0];
    const me = await call('GET', '/api/v1/main/me', undefined, { cookie });
    expect(me.json).toMatchObject({ email: 'first@baton.test', instanceAdmin: true });
    expect((await call('POST', '/api/v1/setup', { token: SETUP_TOKEN, email: 'second@baton.test', password: 'second-password' })).status).toBe(409);
    expect((await call('GET', '/api/v1/setup')).json.required).toBe(false);
  });
});

// With BATON_ADMIN_* set, the configured admin exists before any public route answers: the setup
// link cannot create another admin, and the sign-in form accepts the configured one at once.
describe('first start with a configured admin', () => {
  let configured: { url: string; child: unknown } | undefined;
  let db: { url: string; drop: () => Promise<void> } | undefined;
  const callConfigured = (method: string, p: string, body?: unknown) =>
    rawRequest(configured!.url, { method, path: p, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
    db = await stack.createScratchDatabase(inject('databaseUrl').replace(/\/[^/]+$/, '/postgres'), 'baton_configured');
    stack.runMigrations(db!.url);
    configured = await stack.startWeb({
      port: await stack.freePort(),
      env: { ...env, DATABASE_URL: db!.url, BATON_SETUP_TOKEN: SETUP_TOKEN, BATON_ADMIN_EMAIL: 'ops@baton.test', BATON_ADMIN_PASSWORD: 'configured-password' },
      quiet: true,
      logFile: path.join(stack.root, 'test-results/web-configured-admin.log'),
    });
  }, 180_000);

  afterAll(async () => {
    if (configured) await stack.stopProcess(configured.child);
    await db?.drop();
  });

  it('offers no setup, refuses the setup link, and signs the configured admin in as the first request', async () => {
    expect((await callConfigured('GET', '/api/v1/setup')).json).toEqual({ required: false, authMode: 'password' });
    expect((await callConfigured('POST', '/api/v1/setup', { token: SETUP_TOKEN, email: 'intruder@baton.test', password: 'intruder-password' })).status).toBe(409);
    const login = await callConfigured('POST', '/api/v1/auth/login', { email: 'ops@baton.test', password: 'configured-password' });
    expect(login.status, login.text).toBe(200);
  });
});

describe('npm start refuses half an admin configuration', () => {
  it('exits 1 with the fix when only one of BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD is set', () => {
    const dataDir = fs.mkdtempSync(path.join(inject('dataDir'), 'half-'));
    const env = { ...process.env, BATON_DATA_DIR: dataDir, BATON_ADMIN_EMAIL: 'half@baton.test', BATON_ADMIN_PASSWORD: '', PORT: '1' };
    const result = spawnSync(process.execPath, [path.join(stack.root, 'scripts/start.mjs')], { env, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr + result.stdout).toContain('Only BATON_ADMIN_EMAIL is set');
  });
});
