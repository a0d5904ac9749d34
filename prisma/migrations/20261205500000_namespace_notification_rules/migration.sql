-- A namespace's notification rule, versioned: every change is a new revision, the highest one is in force.
CREATE TABLE "namespace_notification_rules" (
    "tenant" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "namespace_notification_rules_pkey" PRIMARY KEY ("tenant", "namespace", "revision")
);
