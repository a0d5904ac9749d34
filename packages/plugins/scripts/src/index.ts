// Script tasks on a process runner (Kestra's shell Commands and Script) and Ansible's CLI.
// Definitions only (zod): the web app imports this entry point; runtimes are behind ./runtime.
import type { PluginDefinition } from '@baton/plugin-sdk';
import { ansibleCli } from './definitions/ansible';
import { shellCommands, shellScript } from './definitions/shell';

export { ansibleCli, hostResultSchema } from './definitions/ansible';
export { shellCommands, shellScript } from './definitions/shell';
export { PROCESS_RUNNER_TYPES } from './definitions/common';
// Kestra's output lines (`::{"outputs":…}::`, levels): the SSH task reads remote output the same way.
export { detectLevel, parseLine, type ParsedLine, type ScriptMetric, type Stream } from './process/output-lines';

export const definitions: PluginDefinition[] = [shellCommands, shellScript, ansibleCli] as PluginDefinition[];
