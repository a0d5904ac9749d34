/**
 * `npm run simulators`: both simulators on fixed ports for local development and manual testing.
 * Ports: ARGOCD_SIM_PORT (8081), CLOUDFLARE_SIM_PORT (8082); SIM_HOST (127.0.0.1).
 */
import { startArgoCdSimulator, startCloudflareSimulator, type RunningSimulator } from './index.js';

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
  } catch (err) {
    console.error(`could not start the simulators: ${(err as Error).message}`);
    await Promise.allSettled(running.map((s) => s.close()));
    process.exit(1);
  }
  const [argo, cf] = running;
  console.log(`Argo CD simulator     ${argo.url}
  token:    Authorization: Bearer argocd-test-token   (or POST /api/v1/session {"username":"admin","password":"password"})
  seeded:   application "my-app" (project default, OutOfSync / Missing)
  api:      ${argo.url}/api/v1/applications

Cloudflare simulator  ${cf.url}
  token:    Authorization: Bearer cloudflare-test-token   (or X-Auth-Email: admin@example.com + X-Auth-Key: cloudflare-global-key)
  seeded:   account "account-1", zone "your_zone_id" (example.com)
  api:      ${cf.url}/client/v4/zones

Control API (both, no auth): POST /_sim/reset · POST|GET|DELETE /_sim/faults · GET /_sim/state · GET /_sim/requests · POST /_sim/clock
  Argo CD:    POST /_sim/applications · POST /_sim/applications/{name}/outcome · POST /_sim/applications/{name}/commit
  Cloudflare: PUT /_sim/rate-limit
Ctrl-C stops both.`);
}

void main();
