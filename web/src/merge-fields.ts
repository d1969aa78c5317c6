import { FIELD_SPECS } from './customer-fields';
import type { Customer, CustomFieldDef } from './types';

/** A field a merge chooses a value for: a standard field (`owner` by username) or `custom.KEY`. */
export interface MergeField {
  key: string;
  /** Tags: by default the survivor gets the tags of all. */
  union: boolean;
}

/** The survivor keeps its own code; every other field can take another customer's value. */
export function mergeFields(customers: readonly Customer[], defs: readonly CustomFieldDef[]): MergeField[] {
  const standard = FIELD_SPECS.filter((spec) => spec.name !== 'code').map((spec) => ({
    key: spec.name as string,
    union: spec.name === 'tags',
  }));
  const customKeys = new Set(defs.map((def) => def.key));
  for (const customer of customers) for (const key of Object.keys(customer.custom ?? {})) customKeys.add(key);
  return [...standard, ...Array.from(customKeys, (key) => ({ key: `custom.${key}`, union: false }))];
}

export function fieldValue(customer: Customer, key: string): unknown {
  if (key.startsWith('custom.')) return customer.custom?.[key.slice(7)] ?? null;
  return (customer as unknown as Record<string, unknown>)[key] ?? null;
}

export function isEmptyValue(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/** The survivor's own value if it has one, else the first other customer's (as the server decides). */
export function defaultSource(key: string, survivor: Customer, others: readonly Customer[]): number | null {
  if (!isEmptyValue(fieldValue(survivor, key))) return survivor.id;
  return others.find((customer) => !isEmptyValue(fieldValue(customer, key)))?.id ?? null;
}

/** True when the customers do not all hold the same value (an empty one counts as a value here). */
export function valuesDiffer(key: string, customers: readonly Customer[]): boolean {
  const seen = new Set(customers.map((customer) => JSON.stringify(fieldValue(customer, key) ?? null)));
  return seen.size > 1;
}
