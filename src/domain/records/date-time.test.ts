import { describe, expect, it } from 'vitest';
import { chinaMidnight, chinaWallTime, parseDateTime } from './date-time.js';

describe('parseDateTime', () => {
  it.each([
    ['2024-03-05T14:30:00+08:00', '2024-03-05T06:30:00.000Z'],
    ['2024-03-05T14:30:00.123456+0800', '2024-03-05T06:30:00.123Z'],
    ['2024-03-05T06:30Z', '2024-03-05T06:30:00.000Z'],
    ['2024-03-05 06:30:00-05:00', '2024-03-05T11:30:00.000Z'],
    ['2024-03-05 14:30', '2024-03-05T06:30:00.000Z'],
    ['2024-03-05T14:30:00', '2024-03-05T06:30:00.000Z'],
    ['2024/3/5 9:05', '2024-03-05T01:05:00.000Z'],
    ['2024.03.05 14:30:59', '2024-03-05T06:30:59.000Z'],
    ['2024年3月5日 14:30', '2024-03-05T06:30:00.000Z'],
    ['2024年3月5日14时30分', '2024-03-05T06:30:00.000Z'],
    ['２０２４－０３－０５　１４：３０', '2024-03-05T06:30:00.000Z'],
    ['2024-03-05', '2024-03-04T16:00:00.000Z'],
    ['  2024-02-29 00:00  ', '2024-02-28T16:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseDateTime(text)).toBe(iso);
  });

  it.each([
    'soon',
    '',
    '2024-02-30 10:00',
    '2023-02-29',
    '2024-13-01 10:00',
    '2024-03-05 24:00',
    '2024-03-05 10:60',
    '2024-03-05T10:00:00+15:00',
    '05/03/2024 10:00',
    '1709620200',
  ])('refuses %s', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });

  it('keeps what it produced', () => {
    const once = parseDateTime('2024/3/5 14:30') as string;
    expect(parseDateTime(once)).toBe(once);
  });
});

describe('China time', () => {
  it('shows an instant as a China wall time and a day as its first instant', () => {
    expect(chinaWallTime('2024-03-04T16:30:00.000Z')).toBe('2024-03-05 00:30');
    expect(chinaMidnight('2024-03-05')).toBe('2024-03-04T16:00:00.000Z');
  });
});
