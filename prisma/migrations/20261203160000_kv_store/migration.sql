-- Kestra's KV store: one row per key of a namespace; an expired row is invisible and purged lazily.
CREATE TABLE "kv_entries" (
    "tenant" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "description" TEXT,
    "expires_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "kv_entries_pkey" PRIMARY KEY ("tenant", "namespace", "key")
);
