import type { Queryable } from '../../db/database.js';
import { normalizePhone } from '../../domain/customers/normalize-phone.js';
import type { FieldKeyring } from '../../domain/security/field-crypto.js';
import type { AppContext } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';
import { resealMergeRecords } from '../duplicates/reseal-merge-records.js';
import { PERSONAL_INDEX_SQL } from './customer.queries.js';
import { PERSONAL_FIELDS } from './personal-data.js';

type Row = { customer_id: number; id: number } & Record<string, string | null>;

const needsWork = (keyring: FieldKeyring, value: string | null, everything: boolean) =>
  value !== null && (everything || !value.startsWith('v1:') || keyring.isStale(value));

/** Re-encrypts the personal fields of one table's rows with the current key and recomputes their indexes. */
async function resealTable(
  tx: Queryable,
  keyring: FieldKeyring,
  table: 'customers' | 'contacts',
  everything: boolean,
) {
  const key = table === 'customers' ? 'id AS customer_id, id' : 'customer_id, id';
  const nonEncrypted = PERSONAL_FIELDS.map(
    (field) => `(${field} IS NOT NULL AND ${field} NOT LIKE 'v1:%')`,
  ).join(' OR ');
  const { rows } = await tx.query<Row>(
    `SELECT ${key}, ${PERSONAL_FIELDS.join(', ')} FROM ${table}
     ${everything ? `WHERE ${PERSONAL_FIELDS.map((field) => `${field} IS NOT NULL`).join(' OR ')}` : `WHERE ${nonEncrypted} OR ${PERSONAL_FIELDS.map((field) => `(${field} LIKE 'v1:%' AND ${field} NOT LIKE $1)`).join(' OR ')}`}`,
    everything ? [] : [`v1:${keyring.currentKeyId}:%`],
  );
  const changed: Record<string, unknown>[] = [];
  for (const row of rows) {
    if (!PERSONAL_FIELDS.some((field) => needsWork(keyring, row[field] ?? null, everything))) continue;
    const record: Record<string, unknown> = { customer_id: row.customer_id, id: row.id };
    for (const field of PERSONAL_FIELDS) {
      const value = row[field] ?? null;
      const plain = value === null ? null : value.startsWith('v1:') ? keyring.decrypt(value) : value;
      record[field] = plain === null ? null : keyring.encrypt(plain);
      if (field === 'phone') {
        const e164 = plain === null ? null : (normalizePhone(plain) ?? plain);
        record.phone_index = e164 === null ? null : keyring.blindIndex('phone', e164);
      }
      if (field === 'email')
        record.email_index = plain === null ? null : keyring.blindIndex('email', plain.toLowerCase());
    }
    changed.push(record);
  }
  for (let i = 0; i < changed.length; i += 2000) {
    await tx.query(
      `UPDATE ${table} t SET ${[...PERSONAL_FIELDS, 'phone_index', 'email_index'].map((c) => `${c} = r.${c}`).join(', ')}
       FROM jsonb_to_recordset($1::jsonb) AS r(customer_id bigint, id bigint, ${[...PERSONAL_FIELDS, 'phone_index', 'email_index'].map((c) => `${c} text`).join(', ')})
       WHERE t.id = r.id ${table === 'contacts' ? 'AND t.customer_id = r.customer_id' : ''}`,
      [JSON.stringify(changed.slice(i, i + 2000))],
    );
  }
  return new Set(changed.map((record) => record.customer_id as number));
}

/**
 * Encrypts personal data that is not yet encrypted with the current key — values written before
 * encryption existed, or (with `everything`) all of them during a key rotation — and rebuilds the
 * blind indexes. One transaction: a crash leaves the old state, which the keyring still reads.
 */
export async function resealPersonalData(
  ctx: AppContext,
  options: { everything?: boolean } = {},
): Promise<{ customers: number }> {
  return ctx.db.transaction(async (tx) => {
    const everything = options.everything ?? false;
    const touched = new Set([
      ...(await resealTable(tx, ctx.keyring, 'customers', everything)),
      ...(await resealTable(tx, ctx.keyring, 'contacts', everything)),
    ]);
    await resealMergeRecords(tx, ctx.keyring, everything);
    if (touched.size > 0) {
      await tx.query(`UPDATE customers c SET ${PERSONAL_INDEX_SQL} WHERE c.id = ANY($1::bigint[])`, [
        Array.from(touched),
      ]);
    }
    if (touched.size > 0 || everything) {
      await recordAudit(
        tx,
        ctx.actor,
        {
          action: everything ? 'keys.rotate' : 'keys.encrypt_existing',
          details: { customers: touched.size, keyId: ctx.keyring.currentKeyId },
        },
        ctx.now(),
      );
    }
    return { customers: touched.size };
  });
}

/** At start-up: personal data of a database from before encryption gets encrypted once. */
export async function encryptLegacyPersonalData(ctx: AppContext): Promise<void> {
  await resealPersonalData(ctx, { everything: false });
}
