import { defineRuntime, type PluginRuntime } from '@baton/plugin-sdk';
import { httpRequestRuntime } from './http-request-runtime';
import { log, outputValues, returnTask } from './task-definitions';

const logRuntime = defineRuntime(log, async ({ props, logger }) => {
  const level = (props.level ?? 'INFO').toLowerCase() as 'debug' | 'info' | 'warn' | 'error';
  const write = logger[level === ('trace' as string) ? 'debug' : level] ?? logger.info;
  for (const message of Array.isArray(props.message) ? props.message : [props.message]) write(message);
  return {};
});

const outputValuesRuntime = defineRuntime(outputValues, async ({ props }) => ({ values: props.values }));

const returnRuntime = defineRuntime(returnTask, async ({ props }) => ({ value: props.format }));

export const runtimes: PluginRuntime[] = [logRuntime, outputValuesRuntime, returnRuntime, httpRequestRuntime] as PluginRuntime[];
