import { describe, expect, it } from 'vitest';
import { parseDueAt, startOfLocalDay } from './local-time.js';

describe('due times in China time', () => {
  it('reads a date as 09:00 China time, a wall time as China time, and keeps an offset', () => {
    expect(parseDueAt('2026-12-01')?.toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(parseDueAt('2026-12-01 14:30')?.toISOString()).toBe('2026-12-01T06:30:00.000Z');
    expect(parseDueAt('2026-12-01T14:30:15')?.toISOString()).toBe('2026-12-01T06:30:15.000Z');
    expect(parseDueAt('2026-12-01T06:30:00Z')?.toISOString()).toBe('2026-12-01T06:30:00.000Z');
    expect(parseDueAt('2026-12-01T14:30:00+08:00')?.toISOString()).toBe('2026-12-01T06:30:00.000Z');
  });

  it('refuses dates that do not exist, hours past 23:59 and other text', () => {
    for (const bad of [
      '2026-02-30',
      '2026-12-01 24:00',
      '2026-12-01 10:60',
      'tomorrow',
      '',
      '2026-13-01T00:00Z',
    ]) {
      expect(parseDueAt(bad), bad).toBeUndefined();
    }
  });

  it('starts a local day at 16:00 UTC the day before', () => {
    expect(startOfLocalDay('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });
});
