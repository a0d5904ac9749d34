-- Secrets encrypted at rest (issue 8). The key is not known to SQL: rows that exist now keep their
-- plain value with key_id NULL, and the worker encrypts them when it starts (SecretStore.reencrypt).
-- AlterTable
ALTER TABLE "secrets" ADD COLUMN "key_id" TEXT,
ADD COLUMN "description" TEXT;
