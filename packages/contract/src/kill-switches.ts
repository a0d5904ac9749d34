// Kill switches (docs/kill-switch.md): the shapes of /api/v1/{tenant}/kill-switches, shared by the
// engine (which answers them), the web app's page and banners, and the tests.
import { z } from 'zod';

export const KILL_SWITCH_MODES = ['KILL', 'CANCEL', 'BLOCK'] as const;
export const KillSwitchModeSchema = z.enum(KILL_SWITCH_MODES);
export type KillSwitchMode = z.infer<typeof KillSwitchModeSchema>;

/** What the modes do, for forms and docs. */
export const KILL_SWITCH_MODE_TEXT: Record<KillSwitchMode, string> = {
  KILL: 'kill running, paused and queued executions now, and refuse new ones until lifted',
  CANCEL: 'refuse new ones; running executions finish their current task, then end CANCELLED',
  BLOCK: 'refuse new ones only',
};

/**
 * The scope: nothing is the whole tenant; `namespace` a namespace with its children; `namespace`
 * and `flowId` one flow; `executionId` one execution (its restart is refused).
 */
export const KillSwitchScopeSchema = z.strictObject({
  namespace: z.string().optional(),
  flowId: z.string().optional(),
  executionId: z.string().optional(),
});
export type KillSwitchScope = z.infer<typeof KillSwitchScopeSchema>;

export const KillSwitchSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  scope: z.object({ namespace: z.string().nullable(), flowId: z.string().nullable(), executionId: z.string().nullable() }),
  /** "tenant", "namespace team.a (and its children)", "flow team.a.deploy", "execution 3Fx…". */
  scopeText: z.string(),
  mode: KillSwitchModeSchema,
  reason: z.string(),
  createdBy: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  liftedAt: z.string().nullable(),
  liftedBy: z.string().nullable(),
  /** In force now: not lifted, started, not past its end date. */
  active: z.boolean(),
  /** Executions it killed (KILL) or signalled to cancel (CANCEL) when it was set. */
  affected: z.number().int(),
});
export type KillSwitch = z.infer<typeof KillSwitchSchema>;

/** The blast radius: executions a switch on this scope would reach now, by flow. */
export const KillSwitchPreviewSchema = z.looseObject({
  scopeText: z.string(),
  total: z.object({ running: z.number().int(), paused: z.number().int(), queued: z.number().int() }),
  byFlow: z.array(z.object({ namespace: z.string(), flowId: z.string(), running: z.number().int(), paused: z.number().int(), queued: z.number().int() })),
});
export type KillSwitchPreview = z.infer<typeof KillSwitchPreviewSchema>;
