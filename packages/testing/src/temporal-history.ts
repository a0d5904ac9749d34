import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { inject } from 'vitest';

/** An execution's Temporal history exactly as the server stores it (payloads not decoded). */
export async function rawHistory(workflowId: string): Promise<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    return await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
  } finally {
    await connection.close();
  }
}

/**
 * Every string and byte string in an execution's raw Temporal history, joined (bytes read as
 * UTF-8 and as latin1, so no byte sequence hides): to prove a value is absent.
 */
export async function historyText(workflowId: string): Promise<string> {
  const parts: string[] = [];
  const walk = (value: unknown, depth: number) => {
    if (depth > 50 || value === null || value === undefined) return;
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'), Buffer.from(value).toString('latin1'));
    else if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, depth + 1));
    else if (typeof value === 'object') for (const v of Object.values(value)) walk(v, depth + 1);
  };
  walk(await rawHistory(workflowId), 0);
  return parts.join('\n');
}

/**
 * Every Payload (anything with `metadata` and `data`) in an execution's raw history, except search
 * attributes: the server indexes those, so no codec may touch them.
 */
export async function historyPayloads(workflowId: string): Promise<{ metadata: Record<string, Uint8Array>; data: Uint8Array }[]> {
  const found: { metadata: Record<string, Uint8Array>; data: Uint8Array }[] = [];
  const walk = (value: unknown, depth: number) => {
    if (depth > 50 || value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (Array.isArray(value)) return value.forEach((v) => walk(v, depth + 1));
    const o = value as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && o.data instanceof Uint8Array) {
      found.push(o as unknown as { metadata: Record<string, Uint8Array>; data: Uint8Array });
      return;
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'searchAttributes') walk(v, depth + 1);
  };
  walk(await rawHistory(workflowId), 0);
  return found;
}
