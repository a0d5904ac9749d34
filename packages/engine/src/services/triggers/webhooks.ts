// Webhook triggers: the key in the URL is the credential. A wrong key and a missing flow answer the
// same 404 (nothing tells a caller which flows exist); the API rate-limits those answers.
import crypto from 'node:crypto';
import type { Db } from '@baton/db';
import { isTerminal, type State } from '../../states';
import { AppError } from '../app-error';
import type { ExecutionService } from '../executions';
import type { FlowService } from '../flows';
import { evaluateConditions } from './conditions';
import { fire } from './fire';
import type { TriggerStore } from './store';

export interface WebhookRequest {
  method: string;
  body: unknown;
  headers: Record<string, string[]>;
  parameters: Record<string, string[]>;
}

/** How long `wait: true` holds the request open for the execution to end. */
export const WEBHOOK_WAIT_MS = 5 * 60_000;

function sameKey(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

export class WebhookService {
  constructor(
    private readonly db: Db,
    private readonly flows: FlowService,
    private readonly executions: ExecutionService,
    private readonly store: TriggerStore,
  ) {}

  /**
   * Starts the flow for a webhook call. Answers what Kestra answers: the execution (or, with wait
   * and returnOutputs, its outputs); nothing (`started: false`) when the conditions do not hold.
   */
  async call(tenant: string, namespace: string, flowId: string, key: string, request: WebhookRequest, waitMs = WEBHOOK_WAIT_MS) {
    const notFound = () => new AppError('NOT_FOUND', `no webhook ${namespace}/${flowId}/<key> with this key`);
    let plan;
    try {
      plan = await this.flows.plan({ tenant, namespace, id: flowId });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) throw notFound();
      throw error;
    }
    const trigger = plan.triggers.find((t) => t.kind === 'webhook' && typeof t.props.key === 'string' && sameKey(t.props.key, key));
    if (!trigger) throw notFound();
    const ref = { tenant, namespace, flowId, triggerId: trigger.id };
    const row = await this.store.ensure(ref, trigger);
    if (plan.disabled || trigger.disabled || row.disabled) throw new AppError('CONFLICT', `the webhook trigger ${trigger.id} of ${namespace}.${flowId} is disabled`);
    const variables = { body: request.body, headers: request.headers, parameters: request.parameters };
    const check = evaluateConditions(trigger.conditions, {
      variables: { trigger: variables, flow: { id: plan.id, namespace: plan.namespace, revision: plan.revision, tenantId: tenant } },
    });
    const now = new Date();
    if (!check.ok) {
      await this.store.update(ref, { lastReason: `conditions not met: ${check.reason}`.slice(0, 2000), lastEvaluatedAt: now });
      return { started: false as const, reason: check.reason };
    }
    const outcome = await fire(this.executions, { tenant, namespace, id: flowId }, plan, trigger, variables);
    if (!outcome.started) {
      await this.store.update(ref, { lastReason: outcome.reason.slice(0, 2000), lastEvaluatedAt: now });
      throw new AppError('UNPROCESSABLE', outcome.reason);
    }
    await this.store.update(ref, { lastExecutionId: outcome.executionId, lastFiredAt: now, lastEvaluatedAt: now, lastReason: null });
    const wait = trigger.props.wait === true;
    if (!wait) return { started: true as const, wait: false, execution: await this.executions.get(tenant, outcome.executionId) };
    const ended = await this.waitForEnd(outcome.executionId, waitMs);
    const execution = await this.executions.get(tenant, outcome.executionId);
    return { started: true as const, wait: true, ended, returnOutputs: trigger.props.returnOutputs === true, execution };
  }

  private async waitForEnd(id: string, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (let delay = 50; Date.now() < deadline; delay = Math.min(delay * 2, 500)) {
      const row = await this.db.execution.findUnique({ where: { id }, select: { state: true } });
      if (row && isTerminal(row.state as State)) return true;
      await new Promise((r) => setTimeout(r, delay));
    }
    return false;
  }
}
