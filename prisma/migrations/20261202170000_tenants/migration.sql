-- Tenants exist only when created (POST /api/v1/tenants); before this table, the first write to
-- any tenant id silently created it.
-- CreateTable
CREATE TABLE "tenants" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- The default tenant, and every tenant that already holds data, so nothing stored becomes unreachable.
INSERT INTO "tenants" ("id", "name") VALUES ('main', 'Main');
INSERT INTO "tenants" ("id")
    SELECT "tenant" FROM "flows" UNION SELECT "tenant" FROM "executions" UNION SELECT "tenant" FROM "secrets"
    ON CONFLICT ("id") DO NOTHING;
