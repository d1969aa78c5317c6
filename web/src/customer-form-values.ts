import type { Dayjs } from 'dayjs';
import { customFromForm, customToForm } from './custom-field-values';
import { FIELD_SPECS, type FieldSpec } from './customer-fields';
import { fromDay, toDay } from './format';
import type { Customer, CustomerInput, CustomFieldDef, CustomValue } from './types';

/** antd form values: plain controls, dates as dayjs, custom fields under `custom`. */
export type CustomerFormValues = Record<string, unknown> & { custom?: Record<string, unknown> };

type Payload = Record<string, unknown> & { custom?: Record<string, CustomValue> };

export function toFormValues(customer: Customer | null, defs: CustomFieldDef[]): CustomerFormValues {
  const values: CustomerFormValues = {};
  const custom: Record<string, unknown> = {};
  for (const def of defs) custom[def.key] = customToForm(def, customer?.custom?.[def.key]);
  values.custom = custom;
  if (!customer) return { ...values, tags: [], vip: false };
  for (const spec of FIELD_SPECS) {
    const raw = customer[spec.name];
    if (spec.type.kind === 'date') values[spec.name] = toDay(raw as string | null) ?? undefined;
    else if (spec.type.kind === 'boolean') values[spec.name] = Boolean(raw);
    else if (spec.type.kind === 'tags') values[spec.name] = raw ?? [];
    else values[spec.name] = raw ?? undefined;
  }
  return values;
}

function fieldFromForm(spec: FieldSpec, value: unknown): unknown {
  switch (spec.type.kind) {
    case 'date':
      return fromDay(value as Dayjs | null | undefined);
    case 'year':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return Boolean(value);
    case 'tags':
      return Array.isArray(value) ? value.map((v) => String(v).trim()).filter(Boolean) : [];
    default:
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  }
}

/** Every field as the API wants it: `YYYY-MM-DD` dates, null for empty (null clears on PATCH). */
export function toPayload(values: CustomerFormValues, defs: CustomFieldDef[]): Payload {
  const payload: Payload = {};
  for (const spec of FIELD_SPECS) payload[spec.name] = fieldFromForm(spec, values[spec.name]);
  const custom: Record<string, CustomValue> = {};
  for (const def of defs) custom[def.key] = customFromForm(def, values.custom?.[def.key]);
  payload.custom = custom;
  return payload;
}

/** Create body: empty values are left out so that server defaults (such as the code) apply. */
export function createBody(payload: Payload): CustomerInput {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (key === 'custom') continue;
    if (value === null || (Array.isArray(value) && value.length === 0)) continue;
    body[key] = value;
  }
  const custom = Object.entries(payload.custom ?? {}).filter(
    ([, value]) => value !== null && !(Array.isArray(value) && value.length === 0),
  );
  if (custom.length > 0) body.custom = Object.fromEntries(custom);
  return body as CustomerInput;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * PATCH body: only what changed since the form was filled. The server merges `custom` key by key
 * (null removes a key), so only the changed custom keys are sent.
 */
export function patchBody(before: Payload, after: Payload): CustomerInput {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (key !== 'custom' && !same(value, before[key])) body[key] = value;
  }
  const custom = Object.entries(after.custom ?? {}).filter(
    ([key, value]) => !same(value, before.custom?.[key]),
  );
  if (custom.length > 0) body.custom = Object.fromEntries(custom);
  return body as CustomerInput;
}
