import type { FieldKeyring } from '../../domain/security/field-crypto.js';
import { maskPersonal, type PersonalField } from '../../domain/security/masking.js';
import type { AppContext } from '../../shared/context.js';
import { actorCan } from '../access/actor.js';

/** Fields of customers and contacts stored encrypted and shown masked without `personal.view`. */
export const PERSONAL_FIELDS: readonly PersonalField[] = ['phone', 'email', 'wechat', 'qq', 'address'];

export type Disclosure = 'full' | 'masked';

/**
 * Encrypts the personal fields present in `fields` (in place) and returns the blind-index columns
 * to write with them: `phone_index`, `email_index` (HMAC of the normalised value, for exact search
 * and duplicate checks). A field set to null clears its index too.
 */
export function sealPersonalFields(
  keyring: FieldKeyring,
  fields: Record<string, unknown>,
): Record<string, string | null> {
  const indexes: Record<string, string | null> = {};
  for (const field of PERSONAL_FIELDS) {
    const value = fields[field];
    if (value === undefined) continue;
    if (value === null) {
      if (field === 'phone' || field === 'email') indexes[`${field}_index`] = null;
      continue;
    }
    const text = String(value);
    if (field === 'phone' || field === 'email') indexes[`${field}_index`] = keyring.blindIndex(field, text);
    fields[field] = keyring.encrypt(text);
  }
  return indexes;
}

/** Decrypts (or masks) the personal fields of a row read from the database, in place. */
export function openPersonalFields<T extends Record<string, unknown>>(
  keyring: FieldKeyring,
  row: T,
  disclosure: Disclosure,
): T {
  const record = row as Record<string, unknown>;
  for (const field of PERSONAL_FIELDS) {
    const value = record[field];
    if (typeof value !== 'string') continue;
    const plain = value.startsWith('v1:') ? keyring.decrypt(value) : value;
    record[field] = disclosure === 'full' ? plain : maskPersonal(field, plain);
  }
  return row;
}

/** Full values for actors allowed to view personal data, masked values for everyone else. */
export function disclosureFor(ctx: AppContext): Disclosure {
  return actorCan(ctx.actor, 'personal.view') ? 'full' : 'masked';
}

/** The blind index a search box entry or an import cell is looked up by. */
export function personalIndex(keyring: FieldKeyring, field: 'phone' | 'email', normalised: string): string {
  return keyring.blindIndex(field, normalised);
}

/** A copy of a stored row with personal fields as this actor may see them. */
export function presentPersonal<T extends object>(
  ctx: AppContext,
  row: T,
  disclosure = disclosureFor(ctx),
): T {
  return openPersonalFields(ctx.keyring, { ...row } as T & Record<string, unknown>, disclosure);
}

/** A copy with personal fields decrypted, for diffs and audit (which masks them itself). */
export function decryptPersonal<T extends object>(ctx: AppContext, row: T): T {
  return openPersonalFields(ctx.keyring, { ...row } as T & Record<string, unknown>, 'full');
}

export function hasPersonalValues(row: object): boolean {
  const record = row as Record<string, unknown>;
  return PERSONAL_FIELDS.some((field) => typeof record[field] === 'string');
}
