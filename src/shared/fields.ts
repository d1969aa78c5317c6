import { z } from 'zod';
import { type CustomerEnumName, customerEnums, toEnumKey } from '../domain/customers/enums.js';
import { normalizePhone } from '../domain/customers/normalize-phone.js';

/** Blank cells and blank form fields mean "no value". */
export function blankToNull(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() === '') return null;
  return typeof value === 'string' ? value.trim() : value;
}

export const optionalText = (max = 500) =>
  z.preprocess(blankToNull, z.string().max(max).nullable().optional());

export const optionalEnum = <N extends CustomerEnumName>(name: N) => {
  const values = customerEnums[name].map((option) => option.value) as [string, ...string[]];
  return z.preprocess((value) => blankToNull(toEnumKey(name, value)), z.enum(values).nullable().optional());
};

const PHONE_MESSAGE =
  '电话号码无效（例：138 0013 8000、010-6552 9988、+86 13800138000） / Invalid phone number';

export const phoneSchema = z.string().transform((value, ctx) => {
  const normalized = normalizePhone(value);
  if (!normalized) {
    ctx.addIssue({ code: 'custom', message: PHONE_MESSAGE });
    return z.NEVER;
  }
  return normalized;
});

export const optionalPhone = z.preprocess(blankToNull, phoneSchema.nullable().optional());

export const optionalEmail = z.preprocess(
  (value) =>
    typeof blankToNull(value) === 'string'
      ? (blankToNull(value) as string).toLowerCase()
      : blankToNull(value),
  z.email().max(254).nullable().optional(),
);

/** Accepts `2024-01-02`, `2024/1/2` and `2024.01.02`; stores `YYYY-MM-DD`. */
export function normalizeDateInput(value: unknown): unknown {
  const blank = blankToNull(value);
  if (typeof blank !== 'string') return blank;
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(blank);
  if (!match) return blank;
  return `${match[1]}-${match[2]?.padStart(2, '0')}-${match[3]?.padStart(2, '0')}`;
}

export const dateSchema = z.iso.date();

/** Whether `value` is a real calendar date `YYYY-MM-DD` (no 2024-02-30). */
export function isCalendarDate(value: unknown): value is string {
  return dateSchema.safeParse(value).success;
}
export const optionalDate = z.preprocess(normalizeDateInput, dateSchema.nullable().optional());

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', '是', '对', 'vip', 't']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', '否', '不是', 'f']);

export function normalizeBooleanInput(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  if (TRUE_WORDS.has(lower)) return true;
  if (FALSE_WORDS.has(lower)) return false;
  return value;
}

export const optionalBoolean = z.preprocess(
  (value) => (blankToNull(value) === null ? undefined : normalizeBooleanInput(value)),
  z.boolean().optional(),
);

export const optionalInteger = (min: number, max: number) =>
  z.preprocess((value) => {
    const blank = blankToNull(value);
    return typeof blank === 'string' && /^-?\d+$/.test(blank) ? Number(blank) : blank;
  }, z.number().int().min(min).max(max).nullable().optional());

/** Tags as an array, or one string separated by commas, semicolons or 、 (as spreadsheets hold them). */
export const tagsSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(/[,，;；、|]/) : value),
  z
    .array(z.string().trim().max(50))
    .max(50)
    .transform((tags) => Array.from(new Set(tags.filter((tag) => tag !== '')))),
);

/** A decimal amount as an exact string with at most `scale` decimals; numbers are accepted from JSON. */
export const decimalSchema = (scale: number, options: { min?: number } = {}) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const text = (typeof value === 'number' ? String(value) : value).trim().replace(/[,，¥￥\s]/g, '');
    const pattern = new RegExp(`^-?\\d{1,14}(\\.\\d{1,${scale}})?$`);
    if (!pattern.test(text)) {
      ctx.addIssue({
        code: 'custom',
        message: `须为最多 ${scale} 位小数的数字 / Must be a number with at most ${scale} decimals`,
      });
      return z.NEVER;
    }
    if (options.min !== undefined && Number(text) < options.min) {
      ctx.addIssue({ code: 'custom', message: `不能小于 ${options.min} / Must be at least ${options.min}` });
      return z.NEVER;
    }
    return text;
  });
