import { PluginError, formatDuration, isPluginError, remainingMs, waitBudget, type TaskContext } from '@baton/plugin-sdk';
import type { MaasClient } from './client';
import type { MaasMachine } from './types';

const MAX_CONSECUTIVE_POLL_FAILURES = 3;

/** What a waiting task puts in its heartbeat: enough for the next attempt to resume the wait. */
export interface WaitHeartbeat {
  op: string;
  systemId: string;
  /** Epoch ms when the operation was issued (kept across attempts). */
  startedAt: number;
  status: string;
  elapsedMs: number;
}

/**
 * When the previous attempt of this task run issued `op` on this machine and died waiting (a
 * worker restart), returns when it issued it: the new attempt resumes waiting instead of asking
 * MAAS to commission or deploy again.
 */
export function resumedStart(ctx: TaskContext<unknown>, op: string, systemId: string): number | undefined {
  const d = ctx.resumeDetails as Partial<WaitHeartbeat> | undefined;
  if (d && d.op === op && d.systemId === systemId && typeof d.startedAt === 'number') return d.startedAt;
  return undefined;
}

export interface StatusWait {
  op: string;
  /** For messages: "commissioning", "deployment", "release". */
  label: string;
  systemId: string;
  startedAt: number;
  success: string[];
  failure: string[];
  pollMs: number;
}

/**
 * Polls the machine until its status is one of `success` (returned) or `failure` (a
 * non-retryable error with MAAS's status message), heartbeating status and elapsed time. Ends
 * just before the task timeout with TIMEOUT; a kill ends it at once with CANCELLED (MAAS goes on).
 */
export async function waitForStatus(ctx: TaskContext<unknown>, client: MaasClient, wait: StatusWait, first?: MaasMachine): Promise<MaasMachine> {
  const budget = waitBudget(ctx, undefined);
  let machine = first;
  let failures = 0;
  let lastStatus = '';
  try {
    for (;;) {
      if (!machine) {
        try {
          machine = await client.getMachine(wait.systemId);
          failures = 0;
        } catch (error) {
          if (!isPluginError(error) || !error.retryable || ++failures >= MAX_CONSECUTIVE_POLL_FAILURES) throw error;
          ctx.logger.warn(`reading machine ${wait.systemId} failed (${error.message}); retrying (${failures}/${MAX_CONSECUTIVE_POLL_FAILURES})`);
        }
      }
      const elapsedMs = Date.now() - wait.startedAt;
      if (machine) {
        const status = machine.status_name;
        if (status !== lastStatus)
          ctx.logger.info(
            `${wait.label} of ${machine.hostname} (${wait.systemId}): ${status}${machine.status_message ? ` (${machine.status_message})` : ''} after ${formatDuration(elapsedMs)}`,
          );
        lastStatus = status;
        if (wait.success.includes(status)) return machine;
        if (wait.failure.includes(status)) {
          throw new PluginError(
            'REMOTE_ERROR',
            `${wait.label} of machine ${machine.hostname} (${wait.systemId}) ended ${status}${machine.status_message ? `: ${machine.status_message}` : ''}`,
            {
              retryable: false,
              details: { systemId: wait.systemId, status },
            },
          );
        }
      }
      const beat: WaitHeartbeat = { op: wait.op, systemId: wait.systemId, startedAt: wait.startedAt, status: lastStatus, elapsedMs };
      ctx.heartbeat(beat);
      const left = remainingMs(budget);
      if (left <= 0) {
        throw new PluginError(
          'TIMEOUT',
          `${wait.label} of machine ${wait.systemId} did not finish within ${formatDuration(budget.limitMs ?? 0)} (${budget.reason}); last status ${lastStatus || 'unknown'}. ` +
            'MAAS keeps going; raise the task timeout to wait longer.',
          { retryable: false, details: { systemId: wait.systemId, status: lastStatus } },
        );
      }
      await ctx.sleep(Math.min(wait.pollMs, left));
      machine = undefined;
    }
  } catch (error) {
    if (isPluginError(error) && error.code === 'CANCELLED') {
      throw new PluginError(
        'CANCELLED',
        `waiting for the ${wait.label} of machine ${wait.systemId} was cancelled (last status ${lastStatus || 'unknown'}); MAAS carries on with it`,
        {
          retryable: false,
        },
      );
    }
    throw error;
  }
}
