import dayjs, { type Dayjs } from 'dayjs';
import type { Lang } from './i18n';

export const DATE_FORMAT = 'YYYY-MM-DD';

/**
 * Money arrives as an exact decimal string; it is formatted as text, never through a float, so
 * every digit of a large amount is shown as stored.
 */
export function formatMoney(value: string | number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return text;
  const [, sign, whole = '0', fraction = ''] = match;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = fraction.padEnd(2, '0');
  return `${sign}${lang === 'en' ? 'CN¥' : '¥'}${grouped}.${cents}`;
}

/**
 * Chinese mobiles as `138 0013 8000`, other Chinese numbers without +86, foreign ones as stored.
 * A masked mobile (`+86138****8000`) is grouped the same way.
 */
export function formatPhone(value: string | null | undefined): string {
  if (!value) return '—';
  const mobile = /^\+86(1[\d*]{2})([\d*]{4})([\d*]{4})$/.exec(value);
  if (mobile) return `${mobile[1]} ${mobile[2]} ${mobile[3]}`;
  if (value.startsWith('+86')) return `0${value.slice(3)}`;
  return value;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : value;
}

/** A count with thousands separators: 5,000. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

export function toDay(value: string | null | undefined): Dayjs | null {
  if (!value) return null;
  const d = dayjs(value);
  return d.isValid() ? d : null;
}

export function fromDay(value: Dayjs | null | undefined): string | null {
  return value ? value.format(DATE_FORMAT) : null;
}
