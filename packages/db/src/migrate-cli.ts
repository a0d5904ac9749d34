// `tsx packages/db/src/migrate-cli.ts`: applies pending migrations to $DATABASE_URL.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from './migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set');
  process.exit(2);
}
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prisma/migrations');
const applied = await migrate(url, dir);
console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
