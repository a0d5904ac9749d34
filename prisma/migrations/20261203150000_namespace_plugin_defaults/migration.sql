-- Plugin defaults per namespace, versioned: every change is a new revision, the highest one is in force.
CREATE TABLE "namespace_plugin_defaults" (
    "tenant" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "defaults" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "namespace_plugin_defaults_pkey" PRIMARY KEY ("tenant", "namespace", "revision")
);
