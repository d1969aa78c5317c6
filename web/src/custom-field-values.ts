import type { Dayjs } from 'dayjs';
import { fromDay, toDay } from './format';
import type { CustomFieldDef, CustomValue } from './types';

type Pick = (zh: string, en: string) => string;

export function optionLabel(def: CustomFieldDef, value: string, pick: Pick): string {
  const option = def.options?.find((o) => o.value === value);
  return option ? pick(option.labelZh, option.labelEn) : value;
}

/** Display text of a stored custom value; `yes`/`no` are passed in already translated. */
export function formatCustomValue(
  def: CustomFieldDef | undefined,
  value: CustomValue | undefined,
  pick: Pick,
  yesNo: [string, string],
): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    return value.map((v) => (def ? optionLabel(def, v, pick) : v)).join('、');
  }
  if (typeof value === 'boolean') return value ? yesNo[0] : yesNo[1];
  if (def && def.type === 'single_select' && typeof value === 'string') return optionLabel(def, value, pick);
  return String(value);
}

/** Form control value for a stored custom value (dates become dayjs for the DatePicker). */
export function customToForm(def: CustomFieldDef, value: CustomValue | undefined): unknown {
  if (value === null || value === undefined) return def.type === 'multi_select' ? [] : undefined;
  if (def.type === 'date' && typeof value === 'string') return toDay(value) ?? undefined;
  return value;
}

/** Stored custom value from a form control value; empty becomes null so that PATCH clears it. */
export function customFromForm(def: CustomFieldDef, value: unknown): CustomValue {
  switch (def.type) {
    case 'date':
      return fromDay(value as Dayjs | null | undefined);
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'multi_select':
      return Array.isArray(value) ? value.map(String) : [];
    default:
      return typeof value === 'string' && value.trim() !== '' ? value : null;
  }
}
