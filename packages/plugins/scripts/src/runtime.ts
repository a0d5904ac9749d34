// Script runtimes: processes on the worker. Only the worker imports this entry point.
import { defineRuntime, type PluginRuntime } from '@baton/plugin-sdk';
import { ansibleCliRuntime } from './ansible/ansible-cli';
import { shellCommands, shellScript } from './definitions/shell';
import { runScriptTask } from './process/script-run';

export const shellCommandsRuntime = defineRuntime(shellCommands, (ctx) => runScriptTask(ctx, ctx.props.commands));
export const shellScriptRuntime = defineRuntime(shellScript, (ctx) => runScriptTask(ctx, [ctx.props.script]));
export { ansibleCliRuntime };

export const runtimes: PluginRuntime[] = [shellCommandsRuntime, shellScriptRuntime, ansibleCliRuntime] as PluginRuntime[];
