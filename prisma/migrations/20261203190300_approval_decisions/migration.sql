-- Decisions on approval pauses (docs/approvals.md): one row per person and paused task run, so
-- the two-person rule counts distinct approvers and the same person cannot decide twice.
CREATE TABLE "approval_decisions" (
    "task_run_id" TEXT NOT NULL,
    "user_key" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "execution_id" TEXT NOT NULL,
    "decided_by" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT,
    "decided_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_decisions_pkey" PRIMARY KEY ("task_run_id", "user_key")
);

CREATE INDEX "approval_decisions_execution_id_idx" ON "approval_decisions"("execution_id");
