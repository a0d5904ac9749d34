import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';

/** Every string in an execution's Temporal history, payloads decoded: to prove a secret is absent. */
export async function historyText(workflowId: string): Promise<string> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    const client = new Client({ connection });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const parts: string[] = [];
    const walk = (value: unknown, depth: number) => {
      if (depth > 50 || value === null || value === undefined) return;
      if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
      else if (typeof value === 'string') parts.push(value);
      else if (Array.isArray(value)) value.forEach((v) => walk(v, depth + 1));
      else if (typeof value === 'object') for (const v of Object.values(value)) walk(v, depth + 1);
    };
    walk(history, 0);
    return parts.join('\n');
  } finally {
    await connection.close();
  }
}
