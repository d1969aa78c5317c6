import { z } from 'zod';
import type { Queryable } from '../../db/database.js';
import {
  DEFAULT_NUMBER_PATTERN,
  type NumberPattern,
  parseNumberPattern,
  renderNumber,
  sequenceScope,
} from '../../domain/customers/customer-number.js';
import { validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { recordAudit } from '../audit/audit-log.js';

const SETTING_KEY = 'customer_number';

export const customerNumberSettingSchema = z.object({ pattern: z.string().min(1).max(64) });

export async function getCustomerNumberPattern(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ value: { pattern: string } }>(
    'SELECT value FROM settings WHERE key = $1',
    [SETTING_KEY],
  );
  return rows[0]?.value.pattern ?? DEFAULT_NUMBER_PATTERN;
}

export async function setCustomerNumberPattern(
  ctx: AppContext,
  input: unknown,
): Promise<{ pattern: string }> {
  const { pattern } = parseOrThrow(customerNumberSettingSchema, input);
  const parsed = parseNumberPattern(pattern);
  if ('error' in parsed)
    throw validationError([{ field: 'pattern', message: `${parsed.error.zh} / ${parsed.error.en}` }]);
  await ctx.db.transaction(async (tx) => {
    const before = await getCustomerNumberPattern(tx);
    await tx.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [SETTING_KEY, JSON.stringify({ pattern })],
    );
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'settings.customer_number', details: { before, after: pattern } },
      ctx.now(),
    );
  });
  return { pattern };
}

/**
 * Draws `count` new customer numbers for customers created on `date`. The sequence row is locked
 * until the surrounding transaction ends, so concurrent creations never get the same number;
 * numbers already taken (given by hand or imported) are skipped.
 */
export async function reserveCustomerCodes(tx: Queryable, date: string, count: number): Promise<string[]> {
  if (count === 0) return [];
  const parsed = parseNumberPattern(await getCustomerNumberPattern(tx));
  const pattern: NumberPattern =
    'error' in parsed ? { pattern: DEFAULT_NUMBER_PATTERN, seqWidth: 5 } : parsed;
  const scope = sequenceScope(pattern, date);
  const codes: string[] = [];
  while (codes.length < count) {
    const wanted = count - codes.length;
    const { rows } = await tx.query<{ last_value: number }>(
      `INSERT INTO number_sequences (scope, last_value) VALUES ($1, $2)
       ON CONFLICT (scope) DO UPDATE SET last_value = number_sequences.last_value + $2
       RETURNING last_value`,
      [scope, wanted],
    );
    const last = rows[0]?.last_value ?? wanted;
    const candidates = Array.from({ length: wanted }, (_, i) =>
      renderNumber(scope, pattern, last - wanted + 1 + i),
    );
    const taken = await tx.query<{ code: string }>(
      'SELECT code FROM customers WHERE code = ANY($1::text[])',
      [candidates],
    );
    const takenSet = new Set(taken.rows.map((row) => row.code));
    codes.push(...candidates.filter((code) => !takenSet.has(code)));
  }
  return codes;
}
