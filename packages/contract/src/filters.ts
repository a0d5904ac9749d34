// Execution filters as the search routes take them (Kestra's query parameters), parsed in one
// place: the API parses them from a request, the web app and the CLI write them into a URL.
import { isState, STATES, type State } from './states';

export interface ExecutionFilters {
  /** A namespace includes its children. */
  namespace?: string;
  flowId?: string;
  state?: State[];
  /** Created at or after. */
  startDate?: Date;
  /** Created at or before. */
  endDate?: Date;
  /** Exact matches, all of them. */
  labels?: Record<string, string>;
}

/** A filter parameter that cannot be read; `parameter` names it, the message says how to fix it. */
export class FilterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}

const MIN_DATE = Date.parse('0001-01-01T00:00:00Z');
const MAX_DATE = Date.parse('9999-12-31T23:59:59.999Z');

/** The filter parameters, with what each means (the OpenAPI description reads them). */
export const EXECUTION_FILTER_PARAMETERS = {
  namespace: { description: 'Namespace, including its children' },
  flowId: { description: 'Flow id' },
  state: { description: `State (repeatable or comma-separated): ${STATES.join(', ')}`, repeatable: true },
  startDate: { description: 'Created at or after (ISO-8601, years 1 to 9999)' },
  endDate: { description: 'Created at or before (ISO-8601)' },
  labels: { description: 'key:value (repeatable)', repeatable: true },
} as const;

export function parseFilterDate(value: string | null | undefined, parameter: string): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new FilterError(parameter, `${parameter} must be an ISO-8601 date-time such as 2026-11-26T10:00:00Z`);
  if (d.getTime() < MIN_DATE || d.getTime() > MAX_DATE) throw new FilterError(parameter, `${parameter} must be between 0001-01-01 and 9999-12-31`);
  return d;
}

/** `labels=key:value`, repeatable, as Kestra's search takes them. */
export function parseLabelFilters(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of values) {
    const i = l.indexOf(':');
    if (i < 1) throw new FilterError('labels', `label filter '${l.slice(0, 80)}' must be key:value`);
    out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}

/** Reads the execution filters of a search URL. Throws FilterError for a value that cannot be read. */
export function parseExecutionFilters(params: URLSearchParams): ExecutionFilters {
  const state = params
    .getAll('state')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = state.filter((s) => !isState(s));
  if (unknown.length) throw new FilterError('state', `unknown state '${unknown[0]!.slice(0, 40)}'; use one of ${STATES.join(', ')}`);
  return {
    namespace: params.get('namespace') || undefined,
    flowId: params.get('flowId') || undefined,
    state: state as State[],
    startDate: parseFilterDate(params.get('startDate'), 'startDate'),
    endDate: parseFilterDate(params.get('endDate'), 'endDate'),
    labels: parseLabelFilters(params.getAll('labels')),
  };
}

/** Filters the web app and the CLI hold as text (dates as ISO strings, labels as `key:value`). */
export interface ExecutionFilterText {
  namespace?: string;
  flowId?: string;
  state?: string[];
  startDate?: string;
  endDate?: string;
  labels?: string[];
}

/** The query string entries of a filter, in the form `parseExecutionFilters` reads. */
export function executionFilterParams(filters: ExecutionFilterText | ExecutionFilters): [string, string][] {
  const out: [string, string][] = [];
  if (filters.namespace) out.push(['namespace', filters.namespace]);
  if (filters.flowId) out.push(['flowId', filters.flowId]);
  if (filters.state?.length) out.push(['state', filters.state.join(',')]);
  const date = (d: Date | string | undefined) => (d instanceof Date ? d.toISOString() : d);
  const start = date(filters.startDate);
  const end = date(filters.endDate);
  if (start) out.push(['startDate', start]);
  if (end) out.push(['endDate', end]);
  const labels = Array.isArray(filters.labels) ? filters.labels : Object.entries(filters.labels ?? {}).map(([k, v]) => `${k}:${v}`);
  for (const l of labels) out.push(['labels', l]);
  return out;
}
