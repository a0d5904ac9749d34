// Query parameters read through the wire contract's parsers (@baton/contract); a value that cannot
// be read is a 400 naming the parameter.
import { AppError } from '@baton/engine';
import { FilterError, parseExecutionFilters, parseFilterDate, parseLabelFilters } from '@baton/contract';

/** Turns the contract's FilterError (a parameter that cannot be read) into a 400. */
function readFilter<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof FilterError) throw new AppError('BAD_REQUEST', e.message);
    throw e;
  }
}

export function date(v: string | null, name: string) {
  return readFilter(() => parseFilterDate(v, name));
}

/** labels=key:value (repeatable), as Kestra's search takes them. */
export function labels(url: URL) {
  return readFilter(() => parseLabelFilters(url.searchParams.getAll('labels')));
}

/** namespace, flowId, state, startDate, endDate, labels: the wire contract's one parser. */
export function executionFilters(url: URL) {
  return readFilter(() => parseExecutionFilters(url.searchParams));
}
