/**
 * Turns a spreadsheet cell into the text the API schemas read: what people type in Excel and WPS —
 * full-width characters, `+86` / `86-` prefixes, `2024年3月5日`, Excel date cells and serial numbers,
 * numbers stored as numbers — becomes the canonical form before validation.
 */
import { toHalfWidth } from './column-mapping.js';

export type CellValue = string | number | boolean | Date | null;

export type CellKind = 'text' | 'date' | 'datetime' | 'phone' | 'email' | 'number';

/** Fields whose cells need more than trimming. */
export const CELL_KINDS: Record<string, CellKind> = {
  phone: 'phone',
  email: 'email',
  firstContactOn: 'date',
  cooperationStartOn: 'date',
  birthYear: 'number',
  date: 'date',
  // The time of a communication.
  time: 'datetime',
  amount: 'number',
  quantity: 'number',
  cost: 'number',
};

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** Cells already in canonical form skip the cleaning (a million-row file is mostly such cells). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** An Excel serial day number (45356 → 2024-03-05). Excel's fictitious 1900-02-29 is before any real use. */
export function excelSerialToDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return undefined;
  return new Date(EXCEL_EPOCH_MS + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
}

function dateText(value: CellValue): string {
  // Excel date cells arrive as Date at UTC midnight of the day shown.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number') return excelSerialToDate(value) ?? String(value);
  if (typeof value === 'string' && ISO_DATE.test(value)) return value;
  const text = toHalfWidth(String(value ?? '')).trim();
  // 2024/3/5, 2024-03-05, 2024.3.5, 2024年3月5日, with an optional time after it; 20240305.
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$/.exec(text);
  if (match) return `${match[1]}-${match[2]?.padStart(2, '0')}-${match[3]?.padStart(2, '0')}`;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  if (/^\d{5}(\.\d+)?$/.test(text)) return excelSerialToDate(Number(text)) ?? text;
  return text;
}

/** A point in time as `YYYY-MM-DD HH:MM:SS` (the wall time shown in the cell), or the text as written. */
function dateTimeText(value: CellValue): string {
  // Excel date-time cells arrive as Date whose UTC fields are the wall time shown.
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 19).replace('T', ' ');
  }
  const serial =
    typeof value === 'number' ? value : /^\d{5}(\.\d+)?$/.test(String(value).trim()) ? Number(value) : NaN;
  if (Number.isFinite(serial) && serial >= 1 && serial <= 2_958_465) {
    return new Date(EXCEL_EPOCH_MS + Math.round(serial * 86_400) * 1000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
  }
  return toHalfWidth(String(value ?? '')).trim();
}

function phoneText(value: CellValue): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  const text = toHalfWidth(String(value ?? ''))
    .trim()
    .replace(/[‐‑–—－]/g, '-');
  // `86-138…`, `86 138…`, `0086138…` written without the plus sign.
  const prefixed = /^(?:00)?86[-\s]?(1\d{2}[-\s]?\d{4}[-\s]?\d{4})$/.exec(text);
  if (prefixed) return prefixed[1] as string;
  return text;
}

/** The canonical text of one cell for a field; '' for an empty cell. */
export function normalizeCell(field: string, value: CellValue): string {
  if (value === null || value === undefined) return '';
  const kind = CELL_KINDS[field] ?? (field === 'occurred_on' ? 'date' : 'text');
  switch (kind) {
    case 'date':
      return dateText(value);
    case 'datetime':
      return dateTimeText(value);
    case 'phone':
      return phoneText(value);
    case 'email':
      return toHalfWidth(String(value)).trim().toLowerCase();
    case 'number':
      if (typeof value === 'number') return String(value);
      if (typeof value === 'string' && PLAIN_NUMBER.test(value)) return value;
      return toHalfWidth(String(value))
        .trim()
        .replace(/^[¥￥$]\s*/, '')
        .replace(/,(?=\d{3}(\D|$))/g, '');
    default:
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      if (typeof value === 'boolean') return value ? 'true' : 'false';
      return toHalfWidth(String(value)).trim();
  }
}

/** What a person sees in the cell, for error reports. */
export function displayCell(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}
