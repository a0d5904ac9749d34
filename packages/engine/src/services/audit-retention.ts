import type { AuditService } from './audit';

/** Kept a year unless configured otherwise: long enough for a yearly review, bounded disk use. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
/** The database refuses less (audit_settings_retention_min): a misconfiguration must not erase last week. */
export const MIN_AUDIT_RETENTION_DAYS = 30;
const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * BATON_AUDIT_RETENTION_DAYS: days to keep audit events; `0` keeps them forever (null). Anything
 * else than a whole number of at least 30 is refused at start, with the fix.
 */
export function parseAuditRetentionDays(text: string | undefined): number | null {
  const value = text?.trim();
  if (!value) return DEFAULT_AUDIT_RETENTION_DAYS;
  if (!/^\d{1,6}$/.test(value))
    throw new Error(
      `BATON_AUDIT_RETENTION_DAYS=${value.slice(0, 20)} is not a number of days: use a whole number of at least ${MIN_AUDIT_RETENTION_DAYS}, or 0 to keep the audit log forever`,
    );
  const days = Number(value);
  if (days === 0) return null;
  if (days < MIN_AUDIT_RETENTION_DAYS)
    throw new Error(`BATON_AUDIT_RETENTION_DAYS=${days} is too short: the audit log is kept at least ${MIN_AUDIT_RETENTION_DAYS} days (or 0 for forever)`);
  return days;
}

export interface AuditRetentionJob {
  /** Resolves once the setting is stored and the first purge is done. */
  ready: Promise<void>;
  stop(): void;
}

/**
 * The worker's retention job: stores the configured retention (which is what lets PostgreSQL's
 * trigger accept the deletion at all), removes what is older at once, then every hour. A failed
 * round (the database away) is logged and tried again at the next one.
 */
export function startAuditRetention(audit: AuditService, days: number | null, log: (m: string) => void, everyMs = PURGE_EVERY_MS): AuditRetentionJob {
  let stopped = false;
  const round = async () => {
    await audit.setRetention(days);
    const removed = await audit.purgeExpired();
    if (removed) log(`audit log: removed ${removed} events older than ${days} days`);
  };
  const safely = () => round().catch((error: unknown) => log(`audit log: retention round failed, trying again later: ${error instanceof Error ? error.message : String(error)}`));
  let timer: NodeJS.Timeout | undefined;
  const ready = safely().then(() => {
    if (stopped) return;
    timer = setInterval(() => void safely(), everyMs);
    timer.unref();
  });
  return {
    ready,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
