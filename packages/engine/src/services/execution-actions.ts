import { AppError } from './app-error';
import type { ExecutionService } from './executions';
import { isStorageUri } from '@baton/plugin-sdk';
import type { ExecutionFiles, UploadedFile } from './storage/execution-files';
import { executionPrefix } from './storage/uris';

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
  constructor(
    private readonly executions: ExecutionService,
    /** Internal storage: a replay uploads the original's FILE inputs again, as its own. */
    private readonly files?: ExecutionFiles,
  ) {}

  async replay(tenant: string, id: string, options: ReplayOptions) {
    const original = await this.executions.get(tenant, id);
    const inputs = options.inputs ?? (original.inputs as Record<string, unknown>) ?? {};
    const masked = Object.entries(inputs)
      .filter(([, v]) => v === '******')
      .map(([k]) => k);
    if (masked.length) {
      throw new AppError(
        'INVALID_INPUTS',
        'secret inputs are not stored; give them again',
        masked.map((input) => ({ input, message: `input '${input}' is a secret: enter its value again to replay` })),
      );
    }
    const labels = Object.fromEntries(original.labels.filter((l) => !l.key.startsWith('system.')).map((l) => [l.key, l.value]));
    labels['system.replayOf'] = original.id;
    const revision = options.revision === 'latest' ? undefined : (options.revision ?? original.flowRevision);
    const { values, files } = await this.reuploads(tenant, original, inputs);
    const input = await this.executions.start({ tenant, namespace: original.namespace, id: original.flowId }, values, { labels, revision, triggeredBy: options.by, files });
    return this.executions.get(tenant, input.executionId);
  }

  /**
   * An execution reads only its own files (and its parents'): the original's uploaded FILE inputs
   * are copied into the replay as uploads, so its tasks can read them.
   */
  private async reuploads(tenant: string, original: { id: string; namespace: string; flowId: string }, inputs: Record<string, unknown>) {
    const values = { ...inputs };
    const files: Record<string, UploadedFile> = {};
    const own = `${executionPrefix({ namespace: original.namespace, flowId: original.flowId, executionId: original.id })}inputs/`;
    for (const [key, value] of Object.entries(inputs)) {
      if (!this.files || !isStorageUri(value) || !value.startsWith(own)) continue;
      files[key] = { name: decodeURIComponent(value.slice(value.lastIndexOf('/') + 1)), data: await this.files.read(tenant, original.id, value) };
      delete values[key];
    }
    return { values, files };
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
