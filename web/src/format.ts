import dayjs, { type Dayjs } from 'dayjs';
import type { Lang } from './i18n';

export const DATE_FORMAT = 'YYYY-MM-DD';

/** Money arrives as a decimal string; formatting only, never arithmetic. */
export function formatMoney(value: string | number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return new Intl.NumberFormat(lang, {
    style: 'currency',
    currency: 'CNY',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(n);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : value;
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
