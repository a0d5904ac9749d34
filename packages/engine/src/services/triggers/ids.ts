import crypto from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The execution id of one fire: 22 base62 characters (the shape of any execution id) derived
 * from what fired — (tenant, namespace, flow, trigger, scheduled time) for a schedule, the
 * upstream execution and its end for a Flow trigger. Starting the same fire again hits the
 * primary key (and Temporal's workflow id), so no fire runs twice.
 */
export function fireExecutionId(...parts: string[]): string {
  const digest = crypto.createHash('sha256').update(parts.join('\u0000')).digest();
  let id = '';
  for (let i = 0; i < 22; i++) id += ALPHABET[digest[i]! % 62];
  return id;
}
