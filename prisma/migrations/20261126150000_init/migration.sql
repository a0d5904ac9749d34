-- CreateTable
CREATE TABLE "flows" (
    "tenant" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "description" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "flows_pkey" PRIMARY KEY ("tenant","namespace","id")
);

-- CreateTable
CREATE TABLE "flow_revisions" (
    "tenant" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,

    CONSTRAINT "flow_revisions_pkey" PRIMARY KEY ("tenant","namespace","flow_id","revision")
);

-- CreateTable
CREATE TABLE "executions" (
    "id" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "flow_revision" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "histories" JSONB NOT NULL DEFAULT '[]',
    "inputs" JSONB NOT NULL DEFAULT '{}',
    "outputs" JSONB NOT NULL DEFAULT '{}',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "parent_id" TEXT,
    "triggered_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "ended_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "executions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_runs" (
    "id" TEXT NOT NULL,
    "execution_id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "parent_task_run_id" TEXT,
    "value" TEXT,
    "state" TEXT NOT NULL,
    "histories" JSONB NOT NULL DEFAULT '[]',
    "attempts" JSONB NOT NULL DEFAULT '[]',
    "outputs" JSONB,
    "rendered_props" JSONB,
    "error" TEXT,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "ended_at" TIMESTAMP(3),

    CONSTRAINT "task_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "logs" (
    "id" BIGSERIAL NOT NULL,
    "execution_id" TEXT NOT NULL,
    "task_run_id" TEXT,
    "task_id" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "seq" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "secrets" (
    "tenant" TEXT NOT NULL,
    "namespace" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "secrets_pkey" PRIMARY KEY ("tenant","namespace","name")
);

-- CreateIndex
CREATE INDEX "flows_tenant_deleted_namespace_idx" ON "flows"("tenant", "deleted", "namespace");

-- CreateIndex
CREATE INDEX "executions_tenant_created_at_id_idx" ON "executions"("tenant", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "executions_tenant_namespace_flow_id_created_at_idx" ON "executions"("tenant", "namespace", "flow_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "executions_tenant_state_idx" ON "executions"("tenant", "state");

-- CreateIndex
CREATE INDEX "task_runs_execution_id_seq_idx" ON "task_runs"("execution_id", "seq");

-- CreateIndex
CREATE INDEX "logs_execution_id_timestamp_idx" ON "logs"("execution_id", "timestamp");

-- CreateIndex
CREATE UNIQUE INDEX "logs_execution_id_task_run_id_attempt_seq_key" ON "logs"("execution_id", "task_run_id", "attempt", "seq");

-- AddForeignKey
ALTER TABLE "flow_revisions" ADD CONSTRAINT "flow_revisions_tenant_namespace_flow_id_fkey" FOREIGN KEY ("tenant", "namespace", "flow_id") REFERENCES "flows"("tenant", "namespace", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_runs" ADD CONSTRAINT "task_runs_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "executions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
