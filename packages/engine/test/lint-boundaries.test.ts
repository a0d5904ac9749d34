// The boundaries written in ARCHITECTURE.md are lint rules (eslint.config.mjs): each one refuses a
// violating import at the path where it would be written, and lets the allowed import through.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
// Type information is not needed for import rules; the type-aware rules are covered by `npm test`'s lint step.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function restricted(file: string, code: string, rule = 'no-restricted-imports'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('architecture boundaries as lint rules', () => {
  it('workflow code imports nothing with I/O', async () => {
    expect(await restricted('packages/engine/src/workflow/probe.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).toEqual([expect.stringMatching(/deterministic/)]);
    expect(await restricted('packages/engine/src/workflow/probe.ts', "import { getDb } from '@baton/db';\nexport const x = getDb;\n")).toHaveLength(1);
    expect(await restricted('packages/engine/src/workflow/probe.ts', "import { render } from '@baton/flow/expressions';\nexport const x = render;\n")).toEqual([]);
  });

  it('the web app never imports plugin runtimes, and only the db package and engine services import Prisma', async () => {
    expect(await restricted('apps/web/src/probe.ts', "import { runtimes } from '@baton/plugin-core/runtime';\nexport const x = runtimes;\n")).toEqual([
      expect.stringMatching(/definitions only/),
    ]);
    expect(await restricted('apps/web/src/probe.ts', "import { definitions } from '@baton/plugin-core';\nexport const x = definitions;\n")).toEqual([]);
    expect(await restricted('apps/web/src/server/probe.ts', "import { pluginRuntimes } from '@baton/plugin-catalog/runtimes';\nexport const x = pluginRuntimes;\n")).toEqual([
      expect.stringMatching(/definitions only/),
    ]);
    expect(await restricted('apps/web/src/server/probe.ts', "import { defaultRegistry } from '@baton/plugin-catalog';\nexport const x = defaultRegistry;\n")).toEqual([]);
    expect(await restricted('apps/web/src/probe.ts', "import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n")).toHaveLength(1);
    expect(await restricted('apps/worker/src/probe.ts', "import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n")).toHaveLength(1);
    expect(await restricted('packages/engine/src/services/probe.ts', "import { Prisma } from '@prisma/client';\nexport const x = Prisma;\n")).toEqual([]);
  });

  it('browser code reads API shapes from the wire contract, never from server packages', async () => {
    expect(await restricted('apps/web/src/modules/executions/probe.ts', "import { toExecutionView } from '@baton/engine';\nexport const x = toExecutionView;\n")).toEqual([
      expect.stringMatching(/@baton\/contract/),
    ]);
    expect(await restricted('apps/web/src/components/probe.tsx', "import { getDb } from '@baton/db';\nexport const x = getDb;\n")).toHaveLength(1);
    expect(await restricted('apps/web/src/modules/executions/probe.ts', "import { isTerminal } from '@baton/contract';\nexport const x = isTerminal;\n")).toEqual([]);
    expect(await restricted('apps/web/src/server/probe.ts', "import { AppError } from '@baton/engine';\nexport const x = AppError;\n")).toEqual([]);
  });

  it('configuration is read in env modules only, and server code logs through pino', async () => {
    const readsEnv = 'export const x = process.env.BATON_X;\n';
    expect(await restricted('apps/worker/src/activities/probe.ts', readsEnv, 'no-restricted-properties')).toEqual([expect.stringMatching(/env module/)]);
    expect(await restricted('packages/engine/src/services/probe.ts', readsEnv, 'no-restricted-properties')).toHaveLength(1);
    expect(await restricted('apps/worker/src/env.ts', readsEnv, 'no-restricted-properties')).toEqual([]);
    expect(await restricted('apps/web/src/server/api/probe.ts', "console.log('x');\n", 'no-console')).toHaveLength(1);
    expect(await restricted('apps/worker/src/probe.ts', "console.error('x');\n", 'no-console')).toHaveLength(1);
  });
});
