import { AppError } from './app-error';
import type { ExecutionService } from './executions';

// Operator actions of the execution page built on ExecutionService: replay (a new execution of
// the same flow, on the same or the latest revision, with the same or new inputs) and killing many
// executions at once. Restart (the same execution, skipping what succeeded) is
// ExecutionService.restart.

export interface ReplayOptions {
  /** New inputs; absent → the original execution's inputs (SECRET inputs must be given again). */
  inputs?: Record<string, unknown>;
  /** `latest`, or absent for the revision the original execution ran. */
  revision?: 'latest' | number;
  by: string;
}

export class ExecutionActions {
  constructor(private readonly executions: ExecutionService) {}

  async replay(tenant: string, id: string, options: ReplayOptions) {
    const original = await this.executions.get(tenant, id);
    const inputs = options.inputs ?? (original.inputs as Record<string, unknown>) ?? {};
    const masked = Object.entries(inputs).filter(([, v]) => v === '******').map(([k]) => k);
    if (masked.length) {
      throw new AppError('INVALID_INPUTS', 'secret inputs are not stored; give them again', masked.map((input) => ({ input, message: `input '${input}' is a secret: enter its value again to replay` })));
    }
    const labels = Object.fromEntries(original.labels.filter((l) => !l.key.startsWith('system.')).map((l) => [l.key, l.value]));
    labels['system.replayOf'] = original.id;
    const revision = options.revision === 'latest' ? undefined : options.revision ?? original.flowRevision;
    const input = await this.executions.start(
      { tenant, namespace: original.namespace, id: original.flowId },
      inputs,
      { labels, revision, triggeredBy: options.by },
    );
    return this.executions.get(tenant, input.executionId);
  }

  /** Kills each execution; one that cannot be killed (already ended, unknown) is reported, not fatal. */
  async killMany(tenant: string, ids: string[], by: string) {
    if (!ids.length) throw new AppError('BAD_REQUEST', 'send {"ids": ["<execution id>", ...]}');
    if (ids.length > 500) throw new AppError('BAD_REQUEST', 'kill at most 500 executions per call');
    const results = [];
    for (const id of ids) {
      try {
        const r = await this.executions.kill(tenant, id, by);
        results.push({ id, state: r.state });
      } catch (error) {
        results.push({ id, error: (error as Error).message });
      }
    }
    return { results, killed: results.filter((r) => 'state' in r).length };
  }
}
