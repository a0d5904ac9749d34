/**
 * `npm run simulators`: every simulator on fixed ports for local development and manual testing.
 * Ports: ARGOCD_SIM_PORT (8081), CLOUDFLARE_SIM_PORT (8082), MAAS_SIM_PORT (8083), NETBOX_SIM_PORT (8084), NUTANIX_SIM_PORT (8085);
 * SIM_HOST (127.0.0.1).
 */
import { startArgoCdSimulator, startCloudflareSimulator, startMaasSimulator, startNetBoxSimulator, startNutanixSimulator, type RunningSimulator } from './index.js';

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
    running.push(await startNutanixSimulator({ host, port: port('NUTANIX_SIM_PORT', 8085) }));
  } catch (err) {
    console.error(`could not start the simulators: ${(err as Error).message}`);
    await Promise.allSettled(running.map((s) => s.close()));
    process.exit(1);
  }
  const [argo, cf, maas, netbox, nutanix] = running;
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

Nutanix simulator     ${nutanix.url}   (Prism Central v4; plain HTTP: use scheme http in tasks)
  auth:     HTTP Basic admin / Nutanix/4u-sim   (or X-ntnx-api-key: nutanix-sim-api-key-0123456789)
  seeded:   clusters PHX-POC-01 (00061f7f-44f7-19dc-3be1-7cc25586ee44), PHX-POC-02; VMs web-01 (NGT), legacy-01; image ubuntu-22.04-cloudimg
  api:      ${nutanix.url}/api/vmm/v4.3/ahv/config/vms

Control API (all, no auth): POST /_sim/reset · POST|GET|DELETE /_sim/faults · GET /_sim/state · GET /_sim/requests · POST /_sim/clock
  Argo CD:    POST /_sim/applications · POST /_sim/applications/{name}/outcome · POST /_sim/applications/{name}/commit
  Cloudflare: PUT /_sim/rate-limit
  MAAS:       POST /_sim/outcome {commissioning|deployment: "fail"} · PUT /_sim/timings · POST /_sim/machines
  Nutanix:    PUT /_sim/timings · POST /_sim/outcome {operation, message} · POST /_sim/lose-answers {count} · POST /_sim/vms
Ctrl-C stops them all.`);
}

void main();
