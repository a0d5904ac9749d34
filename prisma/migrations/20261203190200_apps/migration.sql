-- Apps (docs/apps.md): Kestra's App YAML per tenant, with the fields access and the catalog filter on.
CREATE TABLE "apps" (
    "tenant" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "access_type" TEXT NOT NULL,
    "groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "catalog" BOOLEAN NOT NULL DEFAULT true,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,
    CONSTRAINT "apps_pkey" PRIMARY KEY ("tenant", "id"),
    CONSTRAINT "apps_access_type_check" CHECK ("access_type" IN ('PUBLIC', 'PRIVATE'))
);
CREATE INDEX "apps_tenant_namespace_idx" ON "apps"("tenant", "namespace");

-- Every saved source, newest revision = apps.revision; kept after the app is deleted (who changed what).
CREATE TABLE "app_revisions" (
    "tenant" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    CONSTRAINT "app_revisions_pkey" PRIMARY KEY ("tenant", "app_id", "revision")
);
