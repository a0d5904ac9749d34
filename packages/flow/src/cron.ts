// Cron expressions as Kestra's Schedule trigger takes them: five fields (minute hour day-of-month
// month day-of-week), six with `withSeconds: true` (seconds first), and Kestra's aliases. Next and
// previous fire times are computed by croner in the trigger's time zone (daylight-saving aware).
import { Cron } from 'croner';

/** Kestra's nicknames (Schedule.java), as five-field expressions. */
export const CRON_ALIASES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronOptions {
  withSeconds?: boolean;
  /** IANA time zone; the instance's (UTC) when absent. */
  timezone?: string;
}

export class CronError extends Error {}

/** Whether an IANA time zone name is known to this runtime. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A parsed schedule: fire times after or before a date. Throws CronError on a bad expression. */
export class CronSchedule {
  private readonly cron: Cron;
  readonly expression: string;

  constructor(expression: string, options: CronOptions = {}) {
    const trimmed = expression.trim();
    const alias = CRON_ALIASES[trimmed.toLowerCase()];
    if (trimmed.startsWith('@') && !alias) throw new CronError(`unknown cron alias '${trimmed}'; Kestra's are ${Object.keys(CRON_ALIASES).join(', ')}`);
    const fields = alias ?? trimmed;
    const count = fields.split(/\s+/).length;
    const wanted = options.withSeconds ? 6 : 5;
    if (!alias && count !== wanted) {
      throw new CronError(
        options.withSeconds
          ? `a cron with withSeconds: true has 6 fields (second minute hour day-of-month month day-of-week), not ${count}`
          : `a cron has 5 fields (minute hour day-of-month month day-of-week), not ${count}${count === 6 ? '; set withSeconds: true for a seconds field' : ''}`,
      );
    }
    if (options.timezone && !isTimeZone(options.timezone)) throw new CronError(`unknown time zone '${options.timezone}' (an IANA name such as Europe/Paris)`);
    this.expression = options.withSeconds && alias ? `0 ${alias}` : fields;
    try {
      // legacyMode: day-of-month and day-of-week are OR-ed, as in Unix cron (Kestra's cron-utils).
      this.cron = new Cron(this.expression, { timezone: options.timezone ?? 'UTC', paused: true, legacyMode: true });
    } catch (error) {
      throw new CronError(`invalid cron '${expression}': ${(error as Error).message}`);
    }
    if (!this.cron.nextRun(new Date(0))) throw new CronError(`cron '${expression}' never fires`);
  }

  /** The first fire time strictly after `date`. */
  next(date: Date): Date | undefined {
    return this.cron.nextRun(date) ?? undefined;
  }

  /** The last fire time strictly before `date`. */
  previous(date: Date): Date | undefined {
    return this.cron.previousRuns(1, date)[0] ?? undefined;
  }

  /** Fire times in (from, to], at most `limit` of them (oldest first). */
  between(from: Date, to: Date, limit = 1000): Date[] {
    const out: Date[] = [];
    let at = this.next(from);
    while (at && at.getTime() <= to.getTime() && out.length < limit) {
      out.push(at);
      at = this.next(at);
    }
    return out;
  }
}
