// docker/compose.yaml describes the production-shaped stack. Docker cannot run here, but its CLI
// (or Debian's docker-compose, which .ci/run installs) parses and resolves the file.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const file = path.resolve(import.meta.dirname, '../../../docker/compose.yaml');
// The file requires the first admin (no default password): give one, as a deployment must.
process.env.BATON_ADMIN_EMAIL ??= 'admin@example.com';
process.env.BATON_ADMIN_PASSWORD ??= 'a-password-for-the-compose-test';

const KEY = Buffer.alloc(32, 1).toString('base64');

function composeConfig(env: NodeJS.ProcessEnv = { ...process.env, BATON_ENCRYPTION_KEY: KEY }): string {
  const plugin = spawnSync('docker', ['compose', '-f', file, 'config'], { encoding: 'utf8', env });
  if (!plugin.error && plugin.status === 0) return plugin.stdout;
  const standalone = spawnSync('docker-compose', ['-f', file, 'config'], { encoding: 'utf8', env });
  if (standalone.error) throw new Error('neither `docker compose` nor `docker-compose` is installed: apt-get install docker-compose (.ci/run does)');
  if (standalone.status !== 0) throw new Error(`docker-compose config failed:\n${standalone.stderr}`);
  return standalone.stdout;
}

describe('docker/compose.yaml', () => {
  it('parses, and runs PostgreSQL, Temporal with its UI, the web app and two workers', () => {
    const config = parse(composeConfig()) as { services: Record<string, { environment?: Record<string, string>; depends_on?: unknown }> };
    expect(Object.keys(config.services).sort()).toEqual(['postgres', 'temporal', 'temporal-ui', 'web', 'worker-1', 'worker-2']);
    for (const name of ['web', 'worker-1', 'worker-2']) {
      expect(config.services[name].environment).toMatchObject({ DATABASE_URL: expect.stringContaining('@postgres:5432/'), TEMPORAL_ADDRESS: 'temporal:7233' });
    }
    expect(config.services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(config.services.web.environment).toMatchObject({ BATON_ENCRYPTION_KEY: KEY });
    expect(config.services['temporal-ui'].environment).toMatchObject({ TEMPORAL_CODEC_ENDPOINT: 'http://localhost:3000/api/v1/temporal-codec' });
  });

  it('refuses to start without an encryption key, saying how to make one', () => {
    const env = { ...process.env };
    delete env.BATON_ENCRYPTION_KEY;
    expect(() => composeConfig(env)).toThrow(/BATON_ENCRYPTION_KEY.*openssl rand -base64 32/);
  });
});
