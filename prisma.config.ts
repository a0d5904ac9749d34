// Prisma CLI configuration. The URL is only needed by commands that talk to a database
// (Baton applies migrations itself at start-up; see packages/db/src/migrate.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/baton' },
});
