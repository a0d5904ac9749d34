-- Custom blueprints (docs/blueprints.md): a tenant's own flow templates, saved from a flow. The
-- shipped ones are files in blueprints/ and never in this table.
CREATE TABLE "blueprints" (
    "tenant" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "flow_id" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,
    CONSTRAINT "blueprints_pkey" PRIMARY KEY ("tenant", "id")
);
CREATE INDEX "blueprints_tenant_updated_at_idx" ON "blueprints"("tenant", "updated_at");
