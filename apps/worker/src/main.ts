import { migrate } from '@baton/db';
import { InvalidKeyError, keyringFrom } from '@baton/engine';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWorkerEnv } from './env';
import { createWorkers } from './worker';

// npm start prefixes each process's lines with its name, so no prefix here.
const log = (m: string) => console.log(m);

async function main() {
  const env = readWorkerEnv();
  keyringFrom(env.encryptionKey, env.encryptionKeysOld); // a malformed key stops the start before anything is touched
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  await migrate(env.databaseUrl, path.join(repoRoot, 'prisma/migrations'));
  const workers = await createWorkers(env, log);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: finishing running activities, then stopping`);
      workers.shutdown();
    });
  }
  log(`polling ${workers.taskQueues.join(', ')} on ${env.temporalAddress} (namespace ${env.temporalNamespace})`);
  await workers.run();
  log('stopped');
  process.exit(0);
}

main().catch((error) => {
  // A malformed key is configuration, not a bug: its message says the fix, a stack trace would bury it.
  if (error instanceof InvalidKeyError) {
    console.error(`cannot start: ${error.message}`);
    process.exit(1);
  }
  console.error(`fatal: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
