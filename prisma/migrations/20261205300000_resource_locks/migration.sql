-- Resource locks across executions (docs/locks.md). A lock is held by an execution (holder '' for
-- the flow's own locks, else the task run holding it); one whose execution has ended is free, so a
-- kill or a lost worker never leaks one. A wait is recorded so the execution page can say who it
-- waits for.
CREATE TABLE "resource_locks" (
    "tenant" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "execution_id" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "acquired_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resource_locks_pkey" PRIMARY KEY ("tenant", "key")
);

CREATE INDEX "resource_locks_execution_id_idx" ON "resource_locks"("execution_id");

CREATE TABLE "resource_lock_waits" (
    "execution_id" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "task_id" TEXT,
    "key" TEXT NOT NULL,
    "held_by" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resource_lock_waits_pkey" PRIMARY KEY ("execution_id", "holder")
);
