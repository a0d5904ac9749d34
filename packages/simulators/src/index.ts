import { startArgoCd } from './argocd/simulator.js';
import { startCloudflare } from './cloudflare/simulator.js';
import { startMaas } from './maas/simulator.js';
import { startNetBox } from './netbox/simulator.js';
import { startNutanix } from './nutanix/simulator.js';

export interface RunningSimulator {
  name: 'argocd' | 'cloudflare' | 'maas' | 'netbox' | 'nutanix';
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

export interface MaasSimulatorOptions {
  port?: number;
  host?: string;
  /** `consumer:token:secret`, default 'baton-consumer:baton-token:baton-token-secret'. */
  apiKey?: string;
  /** How long commissioning, deploying, releasing and power changes take (ms). */
  timings?: Partial<{ commissioningMs: number; deployingMs: number; releasingMs: number; powerMs: number }>;
  seed?: boolean /* default true: three Ready machines rack1-node1..3; zones default, zone-a, zone-b; pools default, production */;
}

export interface NetBoxSimulatorOptions {
  port?: number;
  host?: string;
  /** v1 token (`Authorization: Token <40 hex>`), default '0123456789abcdef0123456789abcdef01234567'. */
  token?: string;
  /** v2 token (`Authorization: Bearer nbt_<key>.<secret>`), default 'nbt_baton0key01.netbox-test-token-secret'. */
  v2Token?: string;
  seed?: boolean /* default true: site dc1, role server, manufacturer + device type, prefix 10.100.1.0/24 */;
  /** MAX_PAGE_SIZE, default 1000. */
  maxPageSize?: number;
}

export function startMaasSimulator(options?: MaasSimulatorOptions): Promise<RunningSimulator> {
  return startMaas(options);
}

export function startNetBoxSimulator(options?: NetBoxSimulatorOptions): Promise<RunningSimulator> {
  return startNetBox(options);
}

export interface NutanixSimulatorOptions {
  port?: number;
  host?: string;
  /** HTTP Basic user and password, default admin / Nutanix/4u-sim. */
  username?: string;
  password?: string;
  /** X-ntnx-api-key value, default 'nutanix-sim-api-key-0123456789'. */
  apiKey?: string;
  /** How long each kind of Prism task runs (ms). */
  timings?: Partial<{ createMs: number; powerMs: number; cloneMs: number; deleteMs: number; templateMs: number; snapshotMs: number; restoreMs: number }>;
  seed?: boolean /* default true: clusters PHX-POC-01/02, image ubuntu-22.04-cloudimg, subnet vlan.100, VMs web-01 (NGT) and legacy-01 (no NGT), both ON */;
}

export function startNutanixSimulator(options?: NutanixSimulatorOptions): Promise<RunningSimulator> {
  return startNutanix(options);
}

/**
 * Calls a simulator's control API (`/_sim/state`, `/_sim/faults`, `/_sim/timings`; no auth) from
 * a test, and returns the JSON answer; a 4xx or 5xx throws with the simulator's text.
 */
export async function controlSimulator(sim: { url: string }, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
