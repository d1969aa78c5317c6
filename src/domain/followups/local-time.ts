/**
 * Follow-ups are planned in China local time (UTC+8, no daylight saving), where our users keep
 * their diaries: a plan given as a date is due at 09:00 that day, and "today" runs from local
 * midnight to local midnight.
 */
import { isCalendarDate } from '../../shared/fields.js';

export const LOCAL_OFFSET = '+08:00';
/** When a plan given only as a date is due. */
export const DEFAULT_DUE_TIME = '09:00';

/** The instant local day `date` (YYYY-MM-DD) begins. */
export function startOfLocalDay(date: string): Date {
  return new Date(`${date}T00:00:00${LOCAL_OFFSET}`);
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a due time: `2026-12-01` (09:00 local), `2026-12-01 14:30` or `2026-12-01T14:30` (local),
 * or an ISO instant with `Z` or an offset. Returns undefined for anything else, including dates
 * that do not exist (2026-02-30) and hours past 23:59.
 *
 * @example parseDueAt('2026-12-01')?.toISOString() // '2026-12-01T01:00:00.000Z'
 */
export function parseDueAt(value: string): Date | undefined {
  const text = value.trim();
  const day = text.slice(0, 10);
  if (isCalendarDate(text)) return new Date(`${text}T${DEFAULT_DUE_TIME}:00${LOCAL_OFFSET}`);
  const local = LOCAL_DATE_TIME.exec(text);
  if (local) {
    const [, date, hh, mm, ss] = local as unknown as [string, string, string, string, string | undefined];
    if (!isCalendarDate(date) || Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59) return undefined;
    return new Date(`${date}T${hh}:${mm}:${ss ?? '00'}${LOCAL_OFFSET}`);
  }
  if (!WITH_OFFSET.test(text) || !isCalendarDate(day)) return undefined;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}
