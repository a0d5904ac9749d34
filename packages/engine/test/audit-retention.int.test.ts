// Audit retention: the worker stores BATON_AUDIT_RETENTION_DAYS (a year here, the default) and
// deletes older events; PostgreSQL still refuses to delete anything younger, whoever asks.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { getDb } from '@baton/db';
import { AuditService } from '../src/services/audit';
import { startAuditRetention } from '../src/services/audit-retention';

const db = getDb(inject('databaseUrl'));
const audit = new AuditService(db);

/** Inserts an event dated `daysAgo` (only the INSERT can choose `at`; nothing can change it later). */
async function eventAged(daysAgo: number, resource: string): Promise<bigint> {
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO audit_log (at, actor, action, resource) VALUES (now() - make_interval(days => ${daysAgo}), 'retention-test', 'test.event', ${resource}) RETURNING id`;
  return rows[0]!.id;
}

const exists = async (id: bigint) => (await db.auditEvent.count({ where: { id } })) === 1;

async function until(what: string, check: () => Promise<boolean>) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('audit retention', () => {
  afterAll(async () => {
    await audit.setRetention(365); // what the stack's worker set
  });

  it('the worker stored the default retention of 365 days at start', async () => {
    await until('the worker to store the retention', async () => (await audit.retention()) === 365);
  });

  it('deletes events older than the retention and keeps the younger ones; the trigger refuses a young one', async () => {
    const old = await eventAged(400, 'test:old');
    const young = await eventAged(100, 'test:young');
    expect(await audit.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await exists(old)).toBe(false);
    expect(await exists(young)).toBe(true);
    // The application's own credentials cannot remove a row inside the retention, nor shorten it below 30 days.
    await expect(db.$executeRaw`DELETE FROM audit_log WHERE id = ${young}`).rejects.toThrow(/append-only: DELETE refused/);
    await expect(audit.setRetention(7)).rejects.toThrow(/audit_settings_retention_min/);
    expect(await exists(young)).toBe(true);
  });

  it('0 (null) keeps everything: nothing is old enough to delete', async () => {
    const ancient = await eventAged(5000, 'test:ancient');
    await audit.setRetention(null);
    expect(await audit.purgeExpired()).toBe(0);
    await expect(db.$executeRaw`DELETE FROM audit_log WHERE id = ${ancient}`).rejects.toThrow(/append-only: DELETE refused/);
    expect(await exists(ancient)).toBe(true);
  });

  it('the periodic job stores the setting and purges again on its own', async () => {
    const logs: string[] = [];
    const job = startAuditRetention(audit, 90, (m) => logs.push(m), 50);
    try {
      await job.ready;
      expect(await audit.retention()).toBe(90);
      // An event that expired after the first round goes in a later one, with nobody asking.
      const later = await eventAged(120, 'test:later');
      await until('the next purge round', async () => !(await exists(later)));
      expect(logs.some((m) => /removed \d+ events older than 90 days/.test(m))).toBe(true);
    } finally {
      job.stop();
    }
  });
});
