import { describe, expect, it } from 'vitest';
import { isoToLocal, localToIso, parseInputsJson, parseLabelLines } from '../src/modules/triggers/lib/backfill-form';

describe('the Backfill dialog fields', () => {
  it('reads datetime-local values in the browser zone and back', () => {
    const d = new Date(2026, 0, 10, 1, 30);
    expect(isoToLocal(d)).toBe('2026-01-10T01:30');
    expect(localToIso('2026-01-10T01:30')).toBe(d.toISOString());
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('nonsense')).toBeUndefined();
  });

  it('reads labels as key=value lines and refuses system.* and lines without a value separator', () => {
    expect(parseLabelLines('reason=replay after outage\n\nticket: OPS-12')).toEqual({ labels: { reason: 'replay after outage', ticket: 'OPS-12' } });
    expect(parseLabelLines('  ')).toEqual({});
    expect(parseLabelLines('ok=1\njust words').error).toMatch(/^line 2: write key=value/);
    expect(parseLabelLines('system.backfill=false').error).toMatch(/system\.\* labels are set by Baton/);
  });

  it('reads inputs as a JSON object', () => {
    expect(parseInputsJson('{"region": "eu"}')).toEqual({ inputs: { region: 'eu' } });
    expect(parseInputsJson('')).toEqual({});
    expect(parseInputsJson('[1]').error).toMatch(/JSON object/);
    expect(parseInputsJson('{region').error).toMatch(/not valid JSON/);
  });
});
