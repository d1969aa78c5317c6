import type { Queryable } from '../../db/database.js';
import { normalizePhone } from '../../domain/customers/normalize-phone.js';
import type { FieldKeyring } from '../../domain/security/field-crypto.js';
import { PERSONAL_FIELDS } from '../customers/personal-data.js';

type Image = Record<string, string | null | undefined>;

/** New ciphertexts and blind indexes for the personal fields present in one stored row image. */
function resealed(keyring: FieldKeyring, image: Image, everything: boolean): Image | undefined {
  const patch: Image = {};
  for (const field of PERSONAL_FIELDS) {
    const value = image[field];
    if (typeof value !== 'string') continue;
    if (!everything && value.startsWith('v1:') && !keyring.isStale(value)) continue;
    const plain = value.startsWith('v1:') ? keyring.decrypt(value) : value;
    patch[field] = keyring.encrypt(plain);
    if (field === 'phone' && 'phone_index' in image)
      patch.phone_index = keyring.blindIndex('phone', normalizePhone(plain) ?? plain);
    if (field === 'email' && 'email_index' in image)
      patch.email_index = keyring.blindIndex('email', plain.toLowerCase());
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/**
 * Re-encrypts the personal fields kept in the merge records that can still be undone (the removed
 * customers' rows and the survivor's values before and after), as a key rotation does for the live
 * tables — otherwise an unmerge after a rotation would bring back values no key opens. Only the
 * changed fields travel through the application; the rest of each row image stays in the database.
 */
export async function resealMergeRecords(
  tx: Queryable,
  keyring: FieldKeyring,
  everything: boolean,
): Promise<number> {
  const fields = [...PERSONAL_FIELDS, 'phone_index', 'email_index'];
  const { rows } = await tx.query<{ id: number; removed: Image[]; before: Image; after: Image }>(
    `SELECT m.id,
       (SELECT jsonb_agg((SELECT jsonb_object_agg(k.key, k.value) FROM jsonb_each(e.item) k WHERE k.key = ANY($1::text[]))
                         ORDER BY e.n)
        FROM jsonb_array_elements(m.removed) WITH ORDINALITY e(item, n)) AS removed,
       (SELECT coalesce(jsonb_object_agg(k.key, k.value), '{}') FROM jsonb_each(m.survivor_before) k WHERE k.key = ANY($1::text[])) AS before,
       (SELECT coalesce(jsonb_object_agg(k.key, k.value), '{}') FROM jsonb_each(m.survivor_after) k WHERE k.key = ANY($1::text[])) AS after
     FROM customer_merges m WHERE m.undone_at IS NULL`,
    [fields],
  );
  let changed = 0;
  for (const row of rows) {
    const removed = (row.removed ?? []).map((image, index) => ({
      n: index + 1,
      patch: resealed(keyring, image ?? {}, everything),
    }));
    const patches = removed.filter((entry) => entry.patch);
    const before = resealed(keyring, row.before, everything);
    const after = resealed(keyring, row.after, everything);
    if (patches.length === 0 && !before && !after) continue;
    await tx.query(
      `UPDATE customer_merges m SET
         removed = (SELECT jsonb_agg(e.item || coalesce(p.patch, '{}') ORDER BY e.n)
                    FROM jsonb_array_elements(m.removed) WITH ORDINALITY e(item, n)
                    LEFT JOIN jsonb_to_recordset($2::jsonb) AS p(n bigint, patch jsonb) ON p.n = e.n),
         survivor_before = m.survivor_before || $3::jsonb,
         survivor_after = m.survivor_after || $4::jsonb
       WHERE m.id = $1`,
      [row.id, JSON.stringify(patches), JSON.stringify(before ?? {}), JSON.stringify(after ?? {})],
    );
    changed++;
  }
  return changed;
}
