import type { FieldIssue } from '../../shared/app-error.js';

export type CustomFieldType = 'text' | 'number' | 'date' | 'single_select' | 'multi_select' | 'boolean';

export interface CustomFieldOption {
  value: string;
  labelZh: string;
  labelEn: string;
}

export interface CustomFieldDefinition {
  key: string;
  type: CustomFieldType;
  labelZh: string;
  labelEn: string;
  options: CustomFieldOption[];
  required: boolean;
  /** Personal data: encrypted at rest and masked for people without `personal.view`. */
  personal?: boolean;
}

type Parsed = { ok: true; value: unknown } | { ok: false; zh: string; en: string };

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', '是', '对']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', '否']);

function findOption(def: CustomFieldDefinition, input: string): string | undefined {
  const trimmed = input.trim();
  return def.options.find(
    (option) =>
      option.value === trimmed ||
      option.labelZh === trimmed ||
      option.labelEn.toLowerCase() === trimmed.toLowerCase(),
  )?.value;
}

function optionList(def: CustomFieldDefinition): string {
  return def.options.map((option) => `${option.value}(${option.labelZh})`).join(', ');
}

/** Parses one custom value against its definition; accepts the forms a spreadsheet cell holds. */
export function parseCustomValue(def: CustomFieldDefinition, input: unknown): Parsed {
  switch (def.type) {
    case 'text':
      if (typeof input === 'number') return { ok: true, value: String(input) };
      if (typeof input !== 'string') return { ok: false, zh: '须为文本', en: 'Must be text' };
      if (input.length > 2000)
        return { ok: false, zh: '文本过长（最多 2000 字）', en: 'Text too long (2000 max)' };
      return { ok: true, value: input.trim() };
    case 'number': {
      const value = typeof input === 'string' && input.trim() !== '' ? Number(input.trim()) : input;
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { ok: false, zh: '须为数字', en: 'Must be a number' };
      return { ok: true, value };
    }
    case 'date': {
      const text = typeof input === 'string' ? input.trim().replace(/[/.]/g, '-') : '';
      const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
      const iso = match ? `${match[1]}-${match[2]?.padStart(2, '0')}-${match[3]?.padStart(2, '0')}` : '';
      if (
        !iso ||
        Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) ||
        new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso
      ) {
        return { ok: false, zh: '须为日期 YYYY-MM-DD', en: 'Must be a date YYYY-MM-DD' };
      }
      return { ok: true, value: iso };
    }
    case 'boolean': {
      if (typeof input === 'boolean') return { ok: true, value: input };
      const lower = typeof input === 'string' ? input.trim().toLowerCase() : '';
      if (TRUE_WORDS.has(lower)) return { ok: true, value: true };
      if (FALSE_WORDS.has(lower)) return { ok: true, value: false };
      return { ok: false, zh: '须为是/否', en: 'Must be true or false' };
    }
    case 'single_select': {
      const value = typeof input === 'string' ? findOption(def, input) : undefined;
      if (!value)
        return {
          ok: false,
          zh: `须为以下之一：${optionList(def)}`,
          en: `Must be one of: ${optionList(def)}`,
        };
      return { ok: true, value };
    }
    case 'multi_select': {
      const items =
        typeof input === 'string' ? input.split(/[,，;；、|]/).filter((s) => s.trim() !== '') : input;
      if (!Array.isArray(items)) return { ok: false, zh: '须为选项列表', en: 'Must be a list of options' };
      const values: string[] = [];
      for (const item of items) {
        const value = typeof item === 'string' ? findOption(def, item) : undefined;
        if (!value)
          return {
            ok: false,
            zh: `须为以下选项：${optionList(def)}`,
            en: `Must be among: ${optionList(def)}`,
          };
        if (!values.includes(value)) values.push(value);
      }
      return { ok: true, value: values };
    }
  }
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/**
 * Validates the custom values of a write. With `mode: 'create'` every required field must be there;
 * with `mode: 'update'` only the keys sent are checked (a required field cannot be cleared).
 * Blank values remove the key.
 */
export function validateCustomValues(
  defs: readonly CustomFieldDefinition[],
  input: Record<string, unknown>,
  mode: 'create' | 'update',
): { values: Record<string, unknown>; removed: string[]; issues: FieldIssue[] } {
  const byKey = new Map(defs.map((def) => [def.key, def]));
  const values: Record<string, unknown> = {};
  const removed: string[] = [];
  const issues: FieldIssue[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const def = byKey.get(key);
    if (!def) {
      issues.push({ field: `custom.${key}`, message: `未定义的自定义字段 / Unknown custom field "${key}"` });
      continue;
    }
    if (isBlank(raw) || (Array.isArray(raw) && raw.length === 0)) {
      if (def.required) {
        issues.push({
          field: `custom.${key}`,
          message: `${def.labelZh}为必填项 / ${def.labelEn} is required`,
        });
      } else removed.push(key);
      continue;
    }
    const parsed = parseCustomValue(def, raw);
    if (parsed.ok) values[key] = parsed.value;
    else
      issues.push({
        field: `custom.${key}`,
        message: `${def.labelZh}：${parsed.zh} / ${def.labelEn}: ${parsed.en}`,
      });
  }
  if (mode === 'create') {
    for (const def of defs) {
      if (def.required && !(def.key in input)) {
        issues.push({
          field: `custom.${def.key}`,
          message: `${def.labelZh}为必填项 / ${def.labelEn} is required`,
        });
      }
    }
  }
  return { values, removed, issues };
}
