// BATON_AUDIT_RETENTION_DAYS: a year by default, 0 for forever, less than 30 days refused with the fix.
import { describe, expect, it } from 'vitest';
import { parseAuditRetentionDays } from '../src/services/audit-retention';

describe('BATON_AUDIT_RETENTION_DAYS', () => {
  it('defaults to a year; 0 keeps the audit log forever', () => {
    expect(parseAuditRetentionDays(undefined)).toBe(365);
    expect(parseAuditRetentionDays('  ')).toBe(365);
    expect(parseAuditRetentionDays('0')).toBeNull();
    expect(parseAuditRetentionDays('90')).toBe(90);
  });

  it('refuses less than 30 days and what is not a number of days, saying what to set', () => {
    expect(() => parseAuditRetentionDays('7')).toThrow('BATON_AUDIT_RETENTION_DAYS=7 is too short: the audit log is kept at least 30 days (or 0 for forever)');
    expect(() => parseAuditRetentionDays('1y')).toThrow(/not a number of days: use a whole number of at least 30, or 0/);
    expect(() => parseAuditRetentionDays('-5')).toThrow(/not a number of days/);
  });
});
