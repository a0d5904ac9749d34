import 'server-only';
import { Client, Connection } from '@temporalio/client';
import { getDb } from '@baton/db';
import { defaultRegistry, ExecutionService, FlowService, loadInstanceDefaults, SecretStore } from '@baton/engine';
import { webEnv } from './env';

/** Server-side singletons shared by every request of this process. */
function create() {
  const env = webEnv();
  const db = getDb(env.databaseUrl);
  const registry = defaultRegistry();
  let client: Promise<Client> | undefined;
  const temporal = () =>
    (client ??= Connection.connect({ address: env.temporalAddress }).then(
      (connection) => new Client({ connection, namespace: env.temporalNamespace }),
      (error) => {
        client = undefined; // retry on the next request instead of caching the failure
        throw error;
      },
    ));
  const flows = new FlowService(db, registry, loadInstanceDefaults(env.pluginDefaultsFile));
  return { env, db, registry, flows, executions: new ExecutionService(db, flows, temporal), secrets: new SecretStore(db), temporal };
}

const globalForServices = globalThis as unknown as { batonServices?: ReturnType<typeof create> };

export function services() {
  return (globalForServices.batonServices ??= create());
}
