import type { Database } from '../db/database.js';
import type { FieldKeyring } from '../domain/security/field-crypto.js';
import type { Actor } from '../modules/access/actor.js';

/** What every use case receives: the database and the clock (time is passed in, never read deep inside). */
export interface AppContext {
  db: Database;
  now: () => Date;
  /** Who is acting: every use case checks rights and writes the audit trail with it. */
  actor: Actor;
  /** Encrypts and decrypts personal fields; computes their blind indexes. */
  keyring: FieldKeyring;
}

/** The calendar date of `date` in China (UTC+8), where our users keep their books. */
export function localDate(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
