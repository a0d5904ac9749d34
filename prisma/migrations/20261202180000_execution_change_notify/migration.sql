-- Live execution pages: every change to an execution, its task runs or its logs notifies the
-- channel `baton_execution_changes` with the execution id. The web app LISTENs on one connection
-- and re-reads an execution once per change, however many people follow it (instead of every open
-- page polling PostgreSQL). PostgreSQL delivers notifications at commit and folds identical ones
-- sent in one transaction, so a batch of log lines costs one notification.
CREATE OR REPLACE FUNCTION baton_notify_execution_change() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'executions' THEN
    PERFORM pg_notify('baton_execution_changes', NEW.id);
  ELSE
    PERFORM pg_notify('baton_execution_changes', NEW.execution_id);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER executions_notify_change AFTER INSERT OR UPDATE ON "executions"
  FOR EACH ROW EXECUTE FUNCTION baton_notify_execution_change();
CREATE TRIGGER task_runs_notify_change AFTER INSERT OR UPDATE ON "task_runs"
  FOR EACH ROW EXECUTE FUNCTION baton_notify_execution_change();
CREATE TRIGGER logs_notify_change AFTER INSERT ON "logs"
  FOR EACH ROW EXECUTE FUNCTION baton_notify_execution_change();
