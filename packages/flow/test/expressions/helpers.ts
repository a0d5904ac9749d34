import { ExpressionError } from '../../src/expressions';

/** A context shaped like a Kestra execution's. */
export function kestraContext(): Record<string, unknown> {
  return {
    flow: { id: 'rollout', namespace: 'infra.prod' },
    execution: { id: 'exec-1', startDate: '2024-05-31T12:00:00.000Z' },
    inputs: { application: 'web', count: 5, name: 'Web Server', list: [1, 2, 3], enabled: true, nothing: null, empty: '' },
    outputs: {
      status: {
        app: { status: { health: { status: 'Healthy' }, sync: { status: 'Synced' } } },
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
      },
      'my-task': {
        value: 42,
        items: [
          { id: 'a', size: 3 },
          { id: 'b', size: 7 },
        ],
      },
    },
  };
}

/** Runs fn, expects an ExpressionError, and returns it for further assertions. */
export function expressionError(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw new Error(`expected an ExpressionError, got ${String(e)}`);
  }
  throw new Error('expected an ExpressionError, but nothing was thrown');
}
