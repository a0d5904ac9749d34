-- The audit log (issue #8): append-only, enforced by PostgreSQL itself so that nothing in the
-- application (nor a bug, nor someone with the application's credentials) can rewrite history.
-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tenant" TEXT NOT NULL DEFAULT '',
    "actor" TEXT NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "namespace" TEXT,
    "address" TEXT,
    "user_agent" TEXT,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "retention_days" INTEGER,

    CONSTRAINT "audit_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_tenant_id_idx" ON "audit_log"("tenant", "id");

-- CreateIndex
CREATE INDEX "audit_log_tenant_actor_id_idx" ON "audit_log"("tenant", "actor", "id");

-- CreateIndex
CREATE INDEX "audit_log_tenant_action_id_idx" ON "audit_log"("tenant", "action", "id");

-- One settings row; retention is kept for at least 30 days, or forever (NULL).
ALTER TABLE "audit_settings" ADD CONSTRAINT "audit_settings_single_row" CHECK ("id" = 1);
ALTER TABLE "audit_settings" ADD CONSTRAINT "audit_settings_retention_min" CHECK ("retention_days" IS NULL OR "retention_days" >= 30);
INSERT INTO "audit_settings" ("id", "retention_days") VALUES (1, NULL);

-- UPDATE and TRUNCATE are always refused; DELETE only for rows older than the retention.
CREATE FUNCTION "audit_log_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  days INTEGER;
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT retention_days INTO days FROM audit_settings WHERE id = 1;
    IF days IS NOT NULL AND OLD.at < now() - make_interval(days => days) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_log_no_update_or_delete" BEFORE UPDATE OR DELETE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION "audit_log_guard"();

CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_guard"();
