// The SSH runtime: the ssh2 client on the worker. Only the worker imports this entry point.
import { defineRuntime, type PluginRuntime } from '@baton/plugin-sdk';
import { runCommand } from './command';
import { sshCommand } from './definitions';

export const sshCommandRuntime = defineRuntime(sshCommand, (ctx) => runCommand(ctx));

export const runtimes: PluginRuntime[] = [sshCommandRuntime] as PluginRuntime[];
