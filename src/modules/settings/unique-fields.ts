import { z } from 'zod';
import type { Queryable } from '../../db/database.js';
import { validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';

const KEY = 'customers.unique_fields';

/** Plain-text fields a company may declare unique (personal fields are encrypted and matched by blind index anyway). */
export const UNIQUE_CAPABLE_FIELDS = ['name', 'company'] as const;

export const uniqueFieldsSchema = z.object({ fields: z.array(z.string()).max(10) });

/**
 * Fields the company treats as unique (唯一性校验), e.g. the company's full name: imports report a
 * row with the same value as a duplicate of that customer, naming its owner.
 */
export async function uniqueCustomerFields(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ value: { fields?: string[] } }>(
    'SELECT value FROM settings WHERE key = $1',
    [KEY],
  );
  return rows[0]?.value.fields ?? [];
}

export async function setUniqueCustomerFields(ctx: AppContext, fields: string[]): Promise<string[]> {
  const custom = await listCustomFields(ctx.db);
  const allowed = new Set<string>([
    ...UNIQUE_CAPABLE_FIELDS,
    ...custom
      .filter((def) => !def.personal && (def.type === 'text' || def.type === 'single_select'))
      .map((def) => `custom.${def.key}`),
  ]);
  const bad = fields.filter((field) => !allowed.has(field));
  if (bad.length > 0) {
    throw validationError(
      bad.map((field) => ({
        field: 'fields',
        message: `${field} 不能设为唯一（可用：${[...allowed].join(', ')}） / ${field} cannot be unique (allowed: ${[...allowed].join(', ')})`,
      })),
    );
  }
  const unique = Array.from(new Set(fields));
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [KEY, JSON.stringify({ fields: unique }), ctx.now().toISOString()],
    );
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'settings.unique_fields', details: { fields: unique } },
      ctx.now(),
    );
  });
  return unique;
}
