import { randomBytes } from 'node:crypto';
import type { SimClock } from '../kit/clock.js';
import { settle } from './lifecycle.js';
import { createApp, type AppRecord, type NewApp } from './model.js';

export interface ArgoSettings {
  token: string;
  username: string;
  password: string;
  syncDurationMs: number;
  seed: boolean;
}

/** All mutable Argo CD state; reset() restores the seed. */
export class ArgoStore {
  apps = new Map<string, AppRecord>();
  tokens = new Set<string>();

  constructor(
    readonly settings: ArgoSettings,
    readonly clock: SimClock,
  ) {
    this.reset();
  }

  reset(): void {
    this.apps.clear();
    this.tokens = new Set([this.settings.token]);
    if (this.settings.seed) this.add({ name: 'my-app' });
  }

  add(input: NewApp): AppRecord {
    const app = createApp(input, this.clock.now());
    this.apps.set(app.name, app);
    return app;
  }

  /** Reads an app with any finished operation applied. */
  get(name: string): AppRecord | undefined {
    const app = this.apps.get(name);
    if (app) settle(app, this.clock.now());
    return app;
  }

  all(): AppRecord[] {
    const now = this.clock.now();
    for (const app of this.apps.values()) settle(app, now);
    return [...this.apps.values()];
  }

  /** A JWT-shaped opaque token: clients that split on dots or decode the payload keep working. */
  issueToken(username: string): string {
    const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(this.clock.now() / 1000);
    const token = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ iss: 'argocd', sub: `${username}:login`, iat: now, nbf: now, jti: randomBytes(8).toString('hex') })}.${randomBytes(32).toString('base64url')}`;
    this.tokens.add(token);
    return token;
  }
}
