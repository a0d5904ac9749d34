import { startArgoCd } from './argocd/simulator.js';
import { startCloudflare } from './cloudflare/simulator.js';

export interface RunningSimulator {
  name: 'argocd' | 'cloudflare';
  url: string;
  port: number;
  close(): Promise<void>;
  reset(): Promise<void>;
}

export interface ArgoCdSimulatorOptions {
  port?: number /* 0 = random */;
  host?: string /* default 127.0.0.1 */;
  token?: string /* default 'argocd-test-token' */;
  username?: string /* 'admin' */;
  password?: string /* 'password' */;
  syncDurationMs?: number /* default 1500 */;
  seed?: boolean /* default true: app 'my-app' exists, OutOfSync */;
}

export interface CloudflareSimulatorOptions {
  port?: number;
  host?: string;
  token?: string /* default 'cloudflare-test-token' */;
  email?: string /* 'admin@example.com' */;
  globalKey?: string /* 'cloudflare-global-key' */;
  accountId?: string /* default 'account-1' */;
  seed?: boolean /* default true: zone id 'your_zone_id' name 'example.com' in that account */;
}

export function startArgoCdSimulator(options?: ArgoCdSimulatorOptions): Promise<RunningSimulator> {
  return startArgoCd(options);
}

export function startCloudflareSimulator(options?: CloudflareSimulatorOptions): Promise<RunningSimulator> {
  return startCloudflare(options);
}
