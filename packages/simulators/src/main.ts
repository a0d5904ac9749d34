/**
 * `npm run simulators`: every simulator on fixed ports for local development and manual testing.
 * Ports: ARGOCD_SIM_PORT (8081), CLOUDFLARE_SIM_PORT (8082), MAAS_SIM_PORT (8083), NETBOX_SIM_PORT (8084);
 * SIM_HOST (127.0.0.1).
 */
import { startArgoCdSimulator, startCloudflareSimulator, startMaasSimulator, startNetBoxSimulator, type RunningSimulator } from './index.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name}=${raw} is not a TCP port (0-65535)`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const host = process.env.SIM_HOST || '127.0.0.1';
  const running: RunningSimulator[] = [];
  const stop = async (signal: string): Promise<void> => {
    console.log(`\n${signal}: stopping simulators`);
    await Promise.allSettled(running.map((s) => s.close()));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  try {
    running.push(await startArgoCdSimulator({ host, port: port('ARGOCD_SIM_PORT', 8081) }));
    running.push(await startCloudflareSimulator({ host, port: port('CLOUDFLARE_SIM_PORT', 8082) }));
    running.push(await startMaasSimulator({ host, port: port('MAAS_SIM_PORT', 8083) }));
    running.push(await startNetBoxSimulator({ host, port: port('NETBOX_SIM_PORT', 8084) }));
  } catch (err) {
    console.error(`could not start the simulators: ${(err as Error).message}`);
    await Promise.allSettled(running.map((s) => s.close()));
    process.exit(1);
  }
  const [argo, cf, maas, netbox] = running;
  console.log(`Argo CD simulator     ${argo.url}
  token:    Authorization: Bearer argocd-test-token   (or POST /api/v1/session {"username":"admin","password":"password"})
  seeded:   application "my-app" (project default, OutOfSync / Missing)
  api:      ${argo.url}/api/v1/applications

Cloudflare simulator  ${cf.url}
  token:    Authorization: Bearer cloudflare-test-token   (or X-Auth-Email: admin@example.com + X-Auth-Key: cloudflare-global-key)
  seeded:   account "account-1", zone "your_zone_id" (example.com)
  api:      ${cf.url}/client/v4/zones

MAAS simulator        ${maas.url}/MAAS
  api key:  baton-consumer:baton-token:baton-token-secret   (OAuth 1.0a PLAINTEXT)
  seeded:   Ready machines rack1-node1..3; zones default, zone-a, zone-b; pools default, production; domains maas, datacenter.local
  api:      ${maas.url}/MAAS/api/2.0/machines/

NetBox simulator      ${netbox.url}
  token:    Authorization: Token 0123456789abcdef0123456789abcdef01234567   (or Bearer nbt_baton0key01.netbox-test-token-secret)
  seeded:   sites dc1, dc2; role server; device type server-1u (Generic); platform ubuntu-jammy; prefix 10.100.1.0/24
  api:      ${netbox.url}/api/dcim/devices/

Control API (all, no auth): POST /_sim/reset · POST|GET|DELETE /_sim/faults · GET /_sim/state · GET /_sim/requests · POST /_sim/clock
  Argo CD:    POST /_sim/applications · POST /_sim/applications/{name}/outcome · POST /_sim/applications/{name}/commit
  Cloudflare: PUT /_sim/rate-limit
  MAAS:       POST /_sim/outcome {commissioning|deployment: "fail"} · PUT /_sim/timings · POST /_sim/machines
Ctrl-C stops them all.`);
}

void main();
