/**
 * Points in time as people write them. An offset (`Z`, `+08:00`) is kept; a wall time without one —
 * `2024-03-05 14:30`, `2024/3/5 14:30`, `2024年3月5日 14时30分`, a date alone (midnight) — is China
 * time (UTC+8), where our users keep their books. Stored and returned as ISO-8601 in UTC.
 */

const CHINA_OFFSET_MS = 8 * 3_600_000;

const WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})$/i;
const WALL_TIME =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)?(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?(?:[:：]?\s*(\d{1,2})(?:\.(\d{1,6}))?\s*秒?)?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
}

function valid(parts: Parts): boolean {
  return (
    parts.month >= 1 &&
    parts.month <= 12 &&
    parts.day >= 1 &&
    parts.day <= daysInMonth(parts.year, parts.month) &&
    parts.hour <= 23 &&
    parts.minute <= 59 &&
    parts.second <= 59
  );
}

function partsOf(match: RegExpExecArray): Parts {
  const number = (index: number) => Number(match[index] ?? 0);
  return {
    year: number(1),
    month: number(2),
    day: number(3),
    hour: number(4),
    minute: number(5),
    second: number(6),
    millis: Math.floor(Number(`0.${match[7] ?? '0'}`) * 1000),
  };
}

function utcMillis(parts: Parts): number {
  return Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
    parts.millis,
  );
}

/**
 * The ISO-8601 UTC form of a point in time written by a person, or undefined when it is not one
 * (`2024-02-30 10:00`, `25:00`, `soon`).
 *
 * @example parseDateTime('2024/3/5 14:30') // '2024-03-05T06:30:00.000Z'
 */
export function parseDateTime(text: string): string | undefined {
  const trimmed = text
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0));
  const offset = WITH_OFFSET.exec(trimmed);
  if (offset) {
    const parts = partsOf(offset);
    if (!valid(parts)) return undefined;
    const zone = (offset[8] ?? 'Z').toUpperCase();
    let shift = 0;
    if (zone !== 'Z') {
      const [, sign, hours, minutes] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone) ?? [];
      if (Number(hours) > 14 || Number(minutes) > 59) return undefined;
      shift = (sign === '-' ? -1 : 1) * (Number(hours) * 3_600_000 + Number(minutes) * 60_000);
    }
    return new Date(utcMillis(parts) - shift).toISOString();
  }
  const wall = WALL_TIME.exec(trimmed);
  if (!wall) return undefined;
  const parts = partsOf(wall);
  if (!valid(parts)) return undefined;
  return new Date(utcMillis(parts) - CHINA_OFFSET_MS).toISOString();
}

/** `2024-03-05 14:30` in China time — how the CLI and the timeline show a stored point in time. */
export function chinaWallTime(iso: string): string {
  return new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The instant a calendar day starts in China: `2024-03-05` → `2024-03-04T16:00:00.000Z`. */
export function chinaMidnight(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - CHINA_OFFSET_MS).toISOString();
}
