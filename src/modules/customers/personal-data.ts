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

/**
 * Encrypts the values of personal custom fields (in place); they are stored as ciphertext strings
 * inside `customers.custom` and recognised by their `v1:` prefix when read.
 */
export function sealPersonalCustom(
  keyring: FieldKeyring,
  defs: readonly { key: string; personal?: boolean }[],
  values: Record<string, unknown>,
): Record<string, unknown> {
  for (const def of defs) {
    if (def.personal && values[def.key] !== undefined && values[def.key] !== null) {
      values[def.key] = keyring.encrypt(JSON.stringify(values[def.key]));
    }
  }
  return values;
}

function openCustom(keyring: FieldKeyring, custom: Record<string, unknown>, disclosure: Disclosure) {
  const opened: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom)) {
    if (typeof value === 'string' && value.startsWith('v1:')) {
      const plain = JSON.parse(keyring.decrypt(value)) as unknown;
      const text = Array.isArray(plain) ? plain.join(',') : String(plain);
      opened[key] = disclosure === 'full' ? plain : maskPersonal('wechat', text);
    } else opened[key] = value;
  }
  return opened;
}

/** Decrypts (or masks) the personal fields of a row read from the database, in place. */
export function openPersonalFields<T extends Record<string, unknown>>(
  keyring: FieldKeyring,
  row: T,
  disclosure: Disclosure,
  options: { custom?: boolean } = { custom: true },
): T {
  const record = row as Record<string, unknown>;
  if (options.custom && record.custom && typeof record.custom === 'object' && !Array.isArray(record.custom)) {
    record.custom = openCustom(keyring, record.custom as Record<string, unknown>, disclosure);
  }
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

/**
 * A copy with the built-in personal fields decrypted, for diffs and audit (which masks them);
 * personal custom values stay encrypted and show in the audit as "encrypted".
 */
export function decryptPersonal<T extends object>(ctx: AppContext, row: T): T {
  return openPersonalFields(ctx.keyring, { ...row } as T & Record<string, unknown>, 'full', {
    custom: false,
  });
}

export function hasPersonalValues(row: object): boolean {
  const record = row as Record<string, unknown>;
  return PERSONAL_FIELDS.some((field) => typeof record[field] === 'string');
}
