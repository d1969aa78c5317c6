/** The application context the benchmark calls the use cases with: full rights, a fixed key. */
import { createHash } from 'node:crypto';
import type { Database } from '../src/db/database.js';
import { createFieldKeyring } from '../src/domain/security/field-crypto.js';
import { systemActor } from '../src/modules/access/actor.js';
import type { AppContext } from '../src/shared/context.js';

/** The same master key in every bench process, so blind indexes written by an import match searches. */
export const benchKeyring = createFieldKeyring(
  createHash('sha256').update('clientele bench master key').digest(),
);

export function benchContext(db: Database): AppContext {
  return { db, now: () => new Date(), actor: systemActor, keyring: benchKeyring };
}
