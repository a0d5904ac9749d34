// ForEachItem's file work, done in activities (the workflow has no I/O): cut the items file into
// batch files, and gather the subflows' outputs into one file. Kestra's ForEachItemSplit and
// ForEachItemMergeOutputs.
import type { Db } from '@baton/db';
import { AppError } from '../app-error';
import { FOR_EACH_ITEM_MAX_BATCHES, type MergeOutputsRequest, type SplitItemsRequest, type SplitItemsResult } from '../../workflow/contracts';
import type { ExecutionFiles } from './execution-files';
import { splitItems } from './split-items';

function taskStorage(files: ExecutionFiles, r: SplitItemsRequest | MergeOutputsRequest) {
  return files.forTaskRun(r.tenant, { namespace: r.namespace, flowId: r.flowId, executionId: r.executionId }, r.taskId, r.taskRunId);
}

/** Kestra keeps the items file's extension on each batch (`.tmp` when it has none). */
function extensionOf(uri: string): string {
  const last = uri.split('/').pop() ?? '';
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(dot) : '.tmp';
}

export async function splitItemsFile(files: ExecutionFiles, request: SplitItemsRequest): Promise<SplitItemsResult> {
  const storage = taskStorage(files, request);
  let batches: string[];
  try {
    batches = splitItems(await storage.get(request.items), request.batch);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('UNPROCESSABLE', (error as Error).message);
  }
  if (batches.length > FOR_EACH_ITEM_MAX_BATCHES) {
    throw new AppError(
      'UNPROCESSABLE',
      `the items make ${batches.length} batches; Baton runs at most ${FOR_EACH_ITEM_MAX_BATCHES} subflows per ForEachItem (use larger batches: batch.rows, batch.bytes or batch.partitions)`,
    );
  }
  const extension = extensionOf(request.items);
  const uris: string[] = [];
  // Written one after another: the order of the URIs is the order of the iterations.
  for (const [i, batch] of batches.entries()) uris.push((await storage.put(`${i}${extension}`, Buffer.from(batch, 'utf8'))).uri);
  const { uri: splits } = await storage.put('splits.txt', Buffer.from(uris.join('\n'), 'utf8'));
  return { splits, uris };
}

/**
 * One line per subflow execution with its flow outputs, in iteration order. The lines are JSON,
 * which is also Ion text, so the file keeps Kestra's name (outputs.ion). Nothing is written when
 * no subflow has outputs (Kestra: no subflowOutputs then).
 */
export async function mergeSubflowOutputs(files: ExecutionFiles, db: Db, request: MergeOutputsRequest): Promise<{ subflowOutputs?: string }> {
  const rows = await db.execution.findMany({ where: { id: { in: request.executionIds }, tenant: request.tenant }, select: { id: true, outputs: true } });
  const byId = new Map(rows.map((r) => [r.id, (r.outputs ?? {}) as Record<string, unknown>]));
  const outputs = request.executionIds.map((id) => byId.get(id) ?? {});
  if (!outputs.some((o) => Object.keys(o).length > 0)) return {};
  const text = outputs.map((o) => JSON.stringify(o)).join('\n') + '\n';
  const { uri } = await taskStorage(files, request).put('outputs.ion', Buffer.from(text, 'utf8'));
  return { subflowOutputs: uri };
}
