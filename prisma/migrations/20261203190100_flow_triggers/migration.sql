-- The state of each trigger of each flow (docs/triggers.md): what the Triggers page shows and what the
-- schedulers and the Flow trigger remember. Definitions stay in the flow's YAML; a row is created
-- when the flow is saved and removed with the flow or the trigger.
CREATE TABLE "flow_triggers" (
    "tenant" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "trigger_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "next_date" TIMESTAMP(3),
    "last_date" TIMESTAMP(3),
    "last_execution_id" TEXT,
    "last_fired_at" TIMESTAMP(3),
    "last_reason" TEXT,
    "last_evaluated_at" TIMESTAMP(3),
    "state" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "flow_triggers_pkey" PRIMARY KEY ("tenant", "namespace", "flow_id", "trigger_id")
);
-- The Flow trigger looks up every flow trigger of a tenant on each execution end.
CREATE INDEX "flow_triggers_tenant_kind_idx" ON "flow_triggers" ("tenant", "kind");

-- Kestra's execution.trigger: the trigger that started an execution, with its variables (kept for restarts and the API).
ALTER TABLE "executions" ADD COLUMN "trigger" JSONB;
