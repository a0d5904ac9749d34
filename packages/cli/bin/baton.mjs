#!/usr/bin/env node
// `npx baton ...`: the CLI is TypeScript, loaded through tsx (a dependency) so no build is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
