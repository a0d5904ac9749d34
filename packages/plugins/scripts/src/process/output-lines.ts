// What a script's output lines mean, as Kestra reads them: `::{"outputs":{…}}::` and
// `::{"metrics":[…]}::` lines carry values (not logged), every other line is a log line whose level
// comes from the stream (stdout INFO, stderr ERROR: Kestra 0.21+) unless the line names its own.
import type { LogLevel } from '@baton/plugin-sdk';

export type Stream = 'stdout' | 'stderr';

export interface ScriptMetric {
  name: string;
  type: string;
  value: number;
  tags?: Record<string, string>;
}

export type ParsedLine =
  | { kind: 'values'; outputs?: Record<string, unknown>; metrics?: ScriptMetric[] }
  | { kind: 'log'; level: LogLevel; message: string }
  /** A `::{…}::` line that is not valid JSON: logged as it is, with a warning of its own. */
  | { kind: 'invalid'; message: string; error: string };

const VALUES_LINE = /^::(\{.*\})::\s*$/;

// A level at the start of a line: `ERROR …`, `WARN: …`, `[warning] …`, `level=debug …`. Only the
// first word counts, so "no errors found" stays INFO.
const LEVEL_PREFIX = /^\s*(?:\[\s*)?(?:level=)?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL)\b(?:\s*\])?[:\s]/i;
const LEVELS: Record<string, LogLevel> = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  NOTICE: 'INFO',
  WARN: 'WARN',
  WARNING: 'WARN',
  ERROR: 'ERROR',
  ERR: 'ERROR',
  FATAL: 'ERROR',
  CRITICAL: 'ERROR',
};

/** The level a line names at its start, if any. */
export function detectLevel(line: string): LogLevel | undefined {
  const match = LEVEL_PREFIX.exec(line);
  return match ? LEVELS[match[1].toUpperCase()] : undefined;
}

export function parseLine(line: string, stream: Stream): ParsedLine {
  const values = VALUES_LINE.exec(line);
  if (values) {
    try {
      const parsed = JSON.parse(values[1]) as { outputs?: unknown; metrics?: unknown };
      const outputs = parsed.outputs && typeof parsed.outputs === 'object' && !Array.isArray(parsed.outputs) ? (parsed.outputs as Record<string, unknown>) : undefined;
      const metrics = Array.isArray(parsed.metrics) ? (parsed.metrics.filter(isMetric) as ScriptMetric[]) : undefined;
      if (outputs || metrics) return { kind: 'values', outputs, metrics };
    } catch (error) {
      return { kind: 'invalid', message: line, error: error instanceof Error ? error.message : String(error) };
    }
  }
  return { kind: 'log', level: detectLevel(line) ?? (stream === 'stderr' ? 'ERROR' : 'INFO'), message: line };
}

function isMetric(value: unknown): boolean {
  const m = value as ScriptMetric | null;
  return !!m && typeof m.name === 'string' && typeof m.value === 'number';
}
