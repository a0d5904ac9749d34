-- Credentials (docs/credentials.md): non-secret settings in clear, secret fields sealed like secrets.
-- Minted tokens are never stored here.
CREATE TABLE "credentials" (
    "tenant" TEXT NOT NULL,
    "namespace" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "sealed" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "description" TEXT,
    "owner" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "last_used_at" TIMESTAMP(3),
    "rotated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "credentials_pkey" PRIMARY KEY ("tenant", "namespace", "name")
);
