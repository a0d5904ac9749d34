import { defineRuntime, type PluginRuntime } from '@baton/plugin-sdk';
import { httpDownloadRuntime } from './http-download-runtime';
import { httpRequestRuntime } from './http-request-runtime';
import { kvRuntimes } from './kv-runtime';
import { log, outputValues, returnTask } from './task-definitions';

const logRuntime = defineRuntime(log, async ({ props, logger }) => {
  const level = (props.level ?? 'INFO').toLowerCase() as 'debug' | 'info' | 'warn' | 'error';
  const write = logger[level === ('trace' as string) ? 'debug' : level] ?? logger.info;
  for (const message of Array.isArray(props.message) ? props.message : [props.message]) write(message);
  return {};
});

const outputValuesRuntime = defineRuntime(outputValues, async ({ props }) => ({ values: props.values }));

// Kestra's Return renders `format` as a String property: the value is always text (a number is
// printed, a map or a list becomes JSON), so `outputs.r.value == '4'` compares as in Kestra.
const returnRuntime = defineRuntime(returnTask, async ({ props }) => ({ value: asText(props.format) }));

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export const runtimes: PluginRuntime[] = [logRuntime, outputValuesRuntime, returnRuntime, httpRequestRuntime, httpDownloadRuntime, ...kvRuntimes] as PluginRuntime[];
