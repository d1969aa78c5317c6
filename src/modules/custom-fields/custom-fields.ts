import type { z } from 'zod';
import type { Queryable } from '../../db/database.js';
import { AppError, notFound, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { recordAudit } from '../audit/audit-log.js';
import {
  type CustomField,
  createCustomFieldSchema,
  updateCustomFieldSchema,
} from './custom-field.schemas.js';

const SELECT = `SELECT key, type, label_zh AS "labelZh", label_en AS "labelEn", options, required, personal, position,
  created_at AS "createdAt", updated_at AS "updatedAt" FROM custom_field_defs`;

const FIELD = { zh: '自定义字段', en: 'Custom field' };

export async function listCustomFields(db: Queryable): Promise<CustomField[]> {
  const { rows } = await db.query<CustomField>(`${SELECT} ORDER BY position, key`);
  return rows;
}

async function findCustomField(db: Queryable, key: string): Promise<CustomField> {
  const { rows } = await db.query<CustomField>(`${SELECT} WHERE key = $1`, [key]);
  if (!rows[0]) throw notFound(FIELD);
  return rows[0];
}

export async function getCustomField(ctx: AppContext, key: string): Promise<CustomField> {
  return findCustomField(ctx.db, key);
}

export async function createCustomField(
  ctx: AppContext,
  input: z.input<typeof createCustomFieldSchema>,
): Promise<CustomField> {
  const field = parseOrThrow(createCustomFieldSchema, input);
  return ctx.db.transaction(async (tx) => {
    const existing = await tx.query('SELECT 1 FROM custom_field_defs WHERE key = $1', [field.key]);
    if (existing.rows.length > 0) {
      throw new AppError(
        'DUPLICATE',
        { zh: `字段 ${field.key} 已存在`, en: `Field ${field.key} already exists` },
        [{ field: 'key', message: '已存在 / Already exists' }],
      );
    }
    await tx.query(
      `INSERT INTO custom_field_defs (key, type, label_zh, label_en, options, required, position, personal)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        field.key,
        field.type,
        field.labelZh,
        field.labelEn,
        JSON.stringify(field.options),
        field.required,
        field.position,
        field.personal,
      ],
    );
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'custom_field.create',
        entityType: 'custom_field',
        entityId: field.key,
        details: { type: field.type, labelZh: field.labelZh },
      },
      ctx.now(),
    );
    return findCustomField(tx, field.key);
  });
}

/** Changes labels, options, required flag or position. The type is fixed: stored values depend on it. */
export async function updateCustomField(
  ctx: AppContext,
  key: string,
  input: z.input<typeof updateCustomFieldSchema>,
): Promise<CustomField> {
  const patch = parseOrThrow(updateCustomFieldSchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await findCustomField(tx, key);
    const isSelect = current.type === 'single_select' || current.type === 'multi_select';
    if (patch.options && !isSelect && patch.options.length > 0) {
      throw validationError([
        { field: 'options', message: '只有选择类字段可以有选项 / Only select fields have options' },
      ]);
    }
    if (patch.options && isSelect) {
      if (patch.options.length === 0) {
        throw validationError([
          {
            field: 'options',
            message: '选择类字段至少需要一个选项 / A select field needs at least one option',
          },
        ]);
      }
      // Removing an option still in use would leave values no form can show.
      const kept = new Set(patch.options.map((option) => option.value));
      const dropped = current.options.map((option) => option.value).filter((value) => !kept.has(value));
      if (dropped.length > 0) {
        const used = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM customers
           WHERE custom ? $1 AND (custom->$1 ?| $2::text[] OR custom->>$1 = ANY($2::text[]))`,
          [key, dropped],
        );
        if ((used.rows[0]?.n ?? 0) > 0) {
          throw validationError([
            {
              field: 'options',
              message: `选项 ${dropped.join(', ')} 仍被 ${used.rows[0]?.n} 个客户使用 / Options ${dropped.join(', ')} are still used by ${used.rows[0]?.n} customers`,
            },
          ]);
        }
      }
    }
    await tx.query(
      `UPDATE custom_field_defs SET
         label_zh = coalesce($2, label_zh), label_en = coalesce($3, label_en),
         options = coalesce($4::jsonb, options), required = coalesce($5, required),
         position = coalesce($6, position), updated_at = now()
       WHERE key = $1`,
      [
        key,
        patch.labelZh ?? null,
        patch.labelEn ?? null,
        patch.options ? JSON.stringify(patch.options) : null,
        patch.required ?? null,
        patch.position ?? null,
      ],
    );
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'custom_field.update',
        entityType: 'custom_field',
        entityId: key,
        details: { changes: patch },
      },
      ctx.now(),
    );
    return findCustomField(tx, key);
  });
}

/** Deletes the definition and its values from every customer, in one transaction. */
export async function deleteCustomField(ctx: AppContext, key: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await findCustomField(tx, key);
    await tx.query('DELETE FROM custom_field_defs WHERE key = $1', [key]);
    await tx.query('UPDATE customers SET custom = custom - $1 WHERE custom ? $1', [key]);
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'custom_field.delete', entityType: 'custom_field', entityId: key, details: {} },
      ctx.now(),
    );
  });
}
