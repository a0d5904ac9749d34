import { describe, expect, it } from 'vitest';
import { CronSchedule, CRON_ALIASES } from '../src/cron';

describe('cron (Kestra Schedule)', () => {
  it('computes the next fire time in the time zone, across a daylight-saving change', () => {
    const paris = new CronSchedule('0 9 * * *', { timezone: 'Europe/Paris' });
    // 28 March 2026 is CET (UTC+1), 30 March CEST (UTC+2).
    expect(paris.next(new Date('2026-03-27T10:00:00Z'))!.toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(paris.next(new Date('2026-03-29T10:00:00Z'))!.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(paris.previous(new Date('2026-03-30T07:00:00Z'))!.toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it("knows Kestra's aliases, with and without seconds", () => {
    const from = new Date('2026-05-13T10:30:00Z'); // a Wednesday
    const next = (alias: string, withSeconds = false) => new CronSchedule(alias, { withSeconds }).next(from)!.toISOString();
    expect(next('@hourly')).toBe('2026-05-13T11:00:00.000Z');
    expect(next('@daily')).toBe('2026-05-14T00:00:00.000Z');
    expect(next('@midnight')).toBe('2026-05-14T00:00:00.000Z');
    expect(next('@weekly')).toBe('2026-05-17T00:00:00.000Z');
    expect(next('@monthly')).toBe('2026-06-01T00:00:00.000Z');
    expect(next('@yearly')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('@annually')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('@hourly', true)).toBe('2026-05-13T11:00:00.000Z');
    expect(Object.keys(CRON_ALIASES)).toHaveLength(7);
  });

  it('takes 5 fields, 6 only with withSeconds, and lists fire times in a range', () => {
    expect(() => new CronSchedule('*/5 * * * * *')).toThrow(/set withSeconds: true/);
    expect(() => new CronSchedule('* * * * *', { withSeconds: true })).toThrow(/6 fields/);
    expect(() => new CronSchedule('61 * * * *')).toThrow(/minute/);
    expect(() => new CronSchedule('@reboot')).toThrow(/unknown cron alias/);
    expect(() => new CronSchedule('* * * * *', { timezone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
    const s = new CronSchedule('*/2 * * * * *', { withSeconds: true });
    expect(s.between(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:06Z')).map((d) => d.getUTCSeconds())).toEqual([2, 4, 6]);
  });

  it('reads day-of-month and day-of-week together as Unix cron does (either matches)', () => {
    // 1st of the month OR a Monday.
    const c = new CronSchedule('0 0 1 * 1');
    expect(c.next(new Date('2026-06-01T00:00:00Z'))!.toISOString()).toBe('2026-06-08T00:00:00.000Z');
    expect(c.next(new Date('2026-06-29T00:00:00Z'))!.toISOString()).toBe('2026-07-01T00:00:00.000Z');
  });
});
