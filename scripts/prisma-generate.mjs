// Generates the Prisma client into packages/db/src/generated.
// `prisma generate` (Prisma 7, prisma-client generator) is WASM/TypeScript and works offline,
// but the CLI still looks for a schema-engine binary and would try to download it: pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file stops that (see shared machine notes).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function prismaGenerate({ quiet = false } = {}) {
  const stub = process.execPath; // any existing file
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate'], {
    cwd: root,
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub,
      PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? stub,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`prisma generate failed:\n${result.stdout}\n${result.stderr}`);
  }
  if (!quiet) console.log('prisma client generated in packages/db/src/generated');
}

/** Generates only when the schema changed since the last generation. */
export function prismaGenerateIfStale() {
  const schema = path.join(root, 'prisma/schema.prisma');
  const marker = path.join(root, 'packages/db/src/generated/.schema-hash');
  const hash = String(fs.statSync(schema).size) + ':' + fs.readFileSync(schema, 'utf8').length + ':' + simpleHash(fs.readFileSync(schema, 'utf8'));
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === hash) return false;
  prismaGenerate({ quiet: true });
  fs.writeFileSync(marker, hash);
  return true;
}

function simpleHash(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(16);
}

if (import.meta.url === `file://${process.argv[1]}`) prismaGenerate();
