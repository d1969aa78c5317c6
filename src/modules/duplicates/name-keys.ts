import { nameLength, normaliseName, pinyinKey } from '../../domain/duplicates/name-key.js';
import { NAME_RULES_VERSION } from '../../domain/duplicates/name-match.js';
import type { AppContext } from '../../shared/context.js';
import { scopeClause } from '../access/scope.js';

const BATCH = 5000;

/**
 * Brings customer_name_keys up to date for the customers the actor sees: keys are computed (pinyin
 * needs the application) only for customers that are new, renamed since, or keyed by older rules,
 * so a second search over 100,000 customers computes nothing. Returns how many were computed.
 * A cache of derived data: written even for read-only callers, never audited.
 */
export async function refreshNameKeys(ctx: AppContext): Promise<number> {
  const params: unknown[] = [NAME_RULES_VERSION];
  const scope = await scopeClause(ctx, 'c', params);
  let computed = 0;
  for (;;) {
    const { rows } = await ctx.db.query<{ id: number; name: string }>(
      `SELECT c.id, c.name FROM customers c LEFT JOIN customer_name_keys k ON k.customer_id = c.id
       WHERE (k.customer_id IS NULL OR k.name <> c.name OR k.rules <> $1) AND ${scope}
       LIMIT ${BATCH}`,
      params,
    );
    if (rows.length === 0) return computed;
    const keys = rows.map(({ id, name }) => {
      const key = normaliseName(name);
      return {
        customer_id: id,
        name,
        rules: NAME_RULES_VERSION,
        name_key: key,
        pinyin_key: pinyinKey(key),
        key_length: nameLength(key),
      };
    });
    await ctx.db.query(
      `INSERT INTO customer_name_keys (customer_id, name, rules, name_key, pinyin_key, key_length)
       SELECT x.customer_id, x.name, x.rules, x.name_key, x.pinyin_key, x.key_length
       FROM jsonb_to_recordset($1::jsonb) AS x(customer_id bigint, name text, rules integer, name_key text,
                                                pinyin_key text, key_length integer)
       -- A customer deleted meanwhile is skipped rather than failing the foreign key.
       WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = x.customer_id)
       ON CONFLICT (customer_id) DO UPDATE SET name = excluded.name, rules = excluded.rules,
         name_key = excluded.name_key, pinyin_key = excluded.pinyin_key, key_length = excluded.key_length`,
      [JSON.stringify(keys)],
    );
    computed += rows.length;
    if (rows.length < BATCH) return computed;
  }
}
