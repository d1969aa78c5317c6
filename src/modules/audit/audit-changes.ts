import { maskPersonal, type PersonalField } from '../../domain/security/masking.js';

const PERSONAL = new Set<string>(['phone', 'email', 'wechat', 'qq', 'address']);

const ENCRYPTED = '[已加密 encrypted]';

function shown(field: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('v1:')) return ENCRYPTED;
  if (field === 'custom' && value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        typeof item === 'string' && item.startsWith('v1:') ? ENCRYPTED : item,
      ]),
    );
  }
  // The trail records that personal data changed, never the data itself.
  if (PERSONAL.has(field) && typeof value === 'string') return maskPersonal(field as PersonalField, value);
  return value ?? null;
}

/** `{ field: { before, after } }` for every field whose value differs, personal values masked. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: readonly string[],
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const field of fields) {
    if (JSON.stringify(before[field] ?? null) === JSON.stringify(after[field] ?? null)) continue;
    changes[field] = { before: shown(field, before[field]), after: shown(field, after[field]) };
  }
  return changes;
}
