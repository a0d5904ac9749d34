import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type Db = InstanceType<typeof PrismaClient>;

const clients = new Map<string, Db>();

/**
 * One Prisma client per database URL per process. Prisma 7 has no Rust query engine: queries go
 * through the `pg` driver adapter.
 */
export function getDb(databaseUrl = process.env.DATABASE_URL): Db {
  if (!databaseUrl) throw new Error('DATABASE_URL is not set (npm start and npm test set it for you).');
  let client = clients.get(databaseUrl);
  if (!client) {
    client = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) });
    clients.set(databaseUrl, client);
  }
  return client;
}

export async function disconnectAll(): Promise<void> {
  await Promise.all([...clients.values()].map((c) => c.$disconnect()));
  clients.clear();
}
