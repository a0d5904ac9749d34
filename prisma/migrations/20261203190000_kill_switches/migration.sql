-- Kill switches (docs/kill-switch.md): a scope (tenant; a namespace with its children; a flow; one
-- execution), a mode, a reason, who set it, when it starts and, optionally, ends. A switch is in
-- force while lifted_at is NULL and now() lies between start_date and end_date, so an end date
-- lifts it by itself: nothing has to run at that moment.
CREATE TABLE "kill_switches" (
    "id" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "namespace" TEXT,
    "flow_id" TEXT,
    "execution_id" TEXT,
    "mode" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "start_date" TIMESTAMP(3) NOT NULL,
    "end_date" TIMESTAMP(3),
    "lifted_at" TIMESTAMP(3),
    "lifted_by" TEXT,
    "killed" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "kill_switches_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "kill_switches_mode_check" CHECK ("mode" IN ('KILL', 'CANCEL', 'BLOCK')),
    -- A flow scope names its namespace; an execution scope stands alone.
    CONSTRAINT "kill_switches_scope_check" CHECK ("flow_id" IS NULL OR "namespace" IS NOT NULL)
);

-- The start path asks for the tenant's switches not lifted: a small set, read by this index.
CREATE INDEX "kill_switches_tenant_lifted_at_idx" ON "kill_switches"("tenant", "lifted_at");

-- Which switch killed or cancelled an execution (NULL: none did).
ALTER TABLE "executions" ADD COLUMN "kill_switch_id" TEXT;
