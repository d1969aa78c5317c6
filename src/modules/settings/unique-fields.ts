import { z } from 'zod';
import type { Queryable } from '../../db/database.js';
import { AppError, validationError } from '../../shared/app-error.js';
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

/**
 * Refuses a customer whose unique fields repeat another customer's (case and surrounding spaces do
 * not matter), naming that customer and its owner — what users of Chinese CRMs call 查重.
 */
export async function assertUniqueFields(
  tx: Queryable,
  values: { fields: Record<string, unknown>; custom: Record<string, unknown> },
  exceptId: number | null,
): Promise<void> {
  const unique = await uniqueCustomerFields(tx);
  for (const field of unique) {
    const value = field.startsWith('custom.') ? values.custom[field.slice(7)] : values.fields[field];
    if (typeof value !== 'string' || value.trim() === '') continue;
    const column = field.startsWith('custom.')
      ? `(c.custom ->> $3)`
      : field === 'company'
        ? 'c.company'
        : 'c.name';
    const { rows } = await tx.query<{ code: string; owner: string | null }>(
      `SELECT c.code, u.username AS owner FROM customers c LEFT JOIN users u ON u.id = c.owner_id
       WHERE lower(btrim(${column})) = lower(btrim($1)) AND c.id IS DISTINCT FROM $2 LIMIT 1`,
      field.startsWith('custom.') ? [value, exceptId, field.slice(7)] : [value, exceptId],
    );
    const other = rows[0];
    if (!other) continue;
    const owner = other.owner ?? '—';
    throw new AppError(
      'DUPLICATE',
      {
        zh: `“${value}”已存在：客户 ${other.code}，负责人 ${owner}`,
        en: `"${value}" already exists: customer ${other.code}, owned by ${owner}`,
      },
      [
        {
          field,
          message: `须唯一，已被客户 ${other.code}（负责人 ${owner}）使用 / Must be unique; customer ${other.code} (owner ${owner}) has it`,
        },
      ],
    );
  }
}
