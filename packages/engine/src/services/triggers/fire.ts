import type { FlowPlan, TriggerSpec } from '@baton/flow';
import { render } from '@baton/flow/expressions';
import type { ExecutionTrigger } from '../../workflow/contracts';
import { AppError } from '../app-error';
import type { ExecutionService } from '../executions';
import type { FlowRef } from '../flows';

export type FireOutcome = { started: true; executionId: string } | { started: false; executionId?: string; duplicate?: boolean; reason: string };

/**
 * Starts the execution of one fire through ExecutionService.start (so every start check applies:
 * disabled flows, inputs, kill switches). The trigger's `inputs` are rendered with the trigger's
 * variables first. A refused start is an outcome with its reason, not an error: the Triggers page
 * shows it. Only what may pass by itself (Temporal or PostgreSQL unreachable) is thrown, so the
 * caller retries; the deterministic id makes that retry harmless.
 */
export async function fire(
  executions: ExecutionService,
  ref: FlowRef,
  plan: FlowPlan,
  trigger: TriggerSpec,
  variables: Record<string, unknown>,
  /** `inputs` are merged over the trigger's rendered inputs (a backfill's own values). */
  options: { id?: string; labels?: Record<string, string>; inputs?: Record<string, unknown> } = {},
): Promise<FireOutcome> {
  let inputs: Record<string, unknown> = {};
  try {
    const written = trigger.props.inputs as Record<string, unknown> | undefined;
    if (written)
      inputs = render(written, { trigger: variables, flow: { id: plan.id, namespace: plan.namespace, revision: plan.revision, tenantId: ref.tenant } }) as Record<string, unknown>;
  } catch (error) {
    return { started: false, reason: `the trigger's inputs could not be rendered: ${(error as Error).message}` };
  }
  if (options.inputs) inputs = { ...inputs, ...options.inputs };
  const executionTrigger: ExecutionTrigger = { id: trigger.id, type: trigger.type, variables };
  try {
    const input = await executions.start(ref, inputs, { id: options.id, trigger: executionTrigger, triggeredBy: `trigger:${trigger.id}`, labels: options.labels });
    return { started: true, executionId: input.executionId };
  } catch (error) {
    if (error instanceof AppError && (error.details as { duplicate?: boolean } | undefined)?.duplicate) {
      return { started: false, duplicate: true, executionId: options.id, reason: 'already started for this fire' };
    }
    if (error instanceof AppError && error.status < 500) {
      const details = Array.isArray(error.details) ? `: ${(error.details as { message?: string }[]).map((d) => d.message).join('; ')}` : '';
      return { started: false, reason: `the start was refused: ${error.message}${details}` };
    }
    throw error;
  }
}
