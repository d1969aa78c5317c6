import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine, formatUtc } from './ical.js';

/** Every physical line of the text, checked against RFC 5545 §3.1. */
function physicalLines(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const lines = text.slice(0, -2).split('\r\n');
  for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  return lines;
}

describe('iCalendar text', () => {
  it('escapes backslashes, semicolons, commas and line breaks, and drops other control characters', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg\u0007h\ti')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng' + 'h\ti');
  });

  it('folds at 75 octets without cutting a Chinese character or an emoji', () => {
    const line = `SUMMARY:${'拜访客户'.repeat(20)}😀${'x'.repeat(30)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(2);
    for (const [i, part] of parts.entries()) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(' ')).toBe(true);
      // No replacement characters: every part is whole UTF-8.
      expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
    }
    expect(parts.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(line);
  });

  it('leaves a short line alone and writes UTC times', () => {
    expect(foldLine('UID:x')).toBe('UID:x');
    expect(formatUtc(new Date('2026-12-01T09:00:00+08:00'))).toBe('20261201T010000Z');
  });

  it('builds a calendar that a strict parser reads back to the same values', () => {
    const description = '客户 / Customer: 甲公司, 北京; 备注 \\ 第二行\n目标：签约'.repeat(3);
    const text = buildCalendar({
      name: '跟进计划 / Follow-ups · sales1',
      events: [
        {
          uid: 'followup-1-2@clientele',
          stamp: new Date('2026-11-20T02:00:00Z'),
          start: new Date('2026-12-01T01:00:00Z'),
          minutes: 30,
          summary: '拜访 / Visit: 甲公司, 北京分公司; 重点',
          description,
        },
        {
          uid: 'followup-3-4@clientele',
          stamp: new Date('2026-11-20T02:00:00Z'),
          start: new Date('2026-12-02T06:30:00Z'),
          minutes: 30,
          summary: '电话 / Phone call: 乙',
        },
      ],
    });
    const lines = physicalLines(text);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('跟进计划 / Follow-ups · sales1');
    const events = calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
    expect(events.map((event) => event.uid)).toEqual(['followup-1-2@clientele', 'followup-3-4@clientele']);
    expect(events[0]?.summary).toBe('拜访 / Visit: 甲公司, 北京分公司; 重点');
    expect(events[0]?.description).toBe(description);
    expect(events[0]?.startDate.toJSDate().toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(events[0]?.duration.toSeconds()).toBe(1800);
    expect(events[1]?.description).toBeNull();
  });
});
