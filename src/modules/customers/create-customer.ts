import type { Queryable } from '../../db/database.js';
import { validateCustomValues } from '../../domain/custom-fields/custom-field-values.js';
import { buildSearchMaterial } from '../../domain/customers/search-material.js';
import type { FieldKeyring } from '../../domain/security/field-crypto.js';
import { AppError, validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { type Actor, actorCan } from '../access/actor.js';
import { changedFields } from '../audit/audit-changes.js';
import { recordAudit } from '../audit/audit-log.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';
import { reserveCustomerCodes } from '../settings/customer-number.js';
import { assertUniqueFields } from '../settings/unique-fields.js';
import { fieldAssignments, findCustomerById, resolveOwner } from './customer.queries.js';
import {
  type CreateCustomerInput,
  type Customer,
  createCustomerSchema,
  customerFieldNames,
} from './customer.schemas.js';
import { decryptPersonal, presentPersonal, sealPersonalCustom } from './personal-data.js';

export function duplicateCode(code: string): AppError {
  return new AppError(
    'DUPLICATE',
    { zh: `客户编号 ${code} 已被使用`, en: `Customer number ${code} is already taken` },
    [{ field: 'code', message: '已被使用 / Already taken' }],
  );
}

/**
 * A new customer belongs to whoever creates it unless an owner is named; naming someone else
 * needs the transfer permission (a sales rep cannot hand customers out of their own scope).
 */
export function ownerForNewCustomer(actor: Actor, ownerId: number | null | undefined): number | null {
  if (ownerId === undefined || ownerId === null) return actor.userId;
  if (ownerId !== actor.userId && !actorCan(actor, 'customers.transfer')) {
    throw new AppError(
      'FORBIDDEN',
      { zh: '不能把客户分配给他人', en: 'You may not assign customers to someone else' },
      [{ field: 'owner', message: '需要 customers.transfer 权限 / Needs customers.transfer' }],
    );
  }
  return ownerId;
}

/** Creates a customer; without `code` the numbering rule draws the next number. */
export async function createCustomer(ctx: AppContext, input: CreateCustomerInput): Promise<Customer> {
  const fields = parseOrThrow(createCustomerSchema, input);
  const defs = await listCustomFields(ctx.db);
  const custom = validateCustomValues(defs, fields.custom ?? {}, 'create');
  if (custom.issues.length === 0) sealPersonalCustom(ctx.keyring, defs, custom.values);
  if (custom.issues.length > 0) throw validationError(custom.issues);
  return ctx.db.transaction(async (tx) => {
    await resolveOwner(tx, fields);
    fields.ownerId = ownerForNewCustomer(ctx.actor, fields.ownerId);
    await assertUniqueFields(tx, { fields, custom: custom.values }, null);
    const id = await insertCustomer(tx, { ...fields, custom: custom.values }, ctx.now(), ctx.keyring);
    const created = decryptPersonal(ctx, (await findCustomerById(tx, id)) as Customer);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'customer.create',
        entityType: 'customer',
        entityId: id,
        customerId: id,
        details: { changes: changedFields({}, created, [...customerFieldNames, 'custom']) },
      },
      ctx.now(),
    );
    return presentPersonal(ctx, created);
  });
}

/**
 * Inserts one validated customer inside an open transaction and returns its id. `now` (the
 * application clock) is its creation time and dates its generated number (in China local time).
 */
export async function insertCustomer(
  tx: Queryable,
  fields: Omit<ReturnType<typeof createCustomerSchema.parse>, 'custom'> & { custom: Record<string, unknown> },
  now: Date,
  keyring: FieldKeyring,
): Promise<number> {
  let code = fields.code;
  if (code) {
    const taken = await tx.query('SELECT 1 FROM customers WHERE code = $1', [code]);
    if (taken.rows.length > 0) throw duplicateCode(code);
  } else {
    code = (await reserveCustomerCodes(tx, localDate(now), 1))[0];
  }
  const search = buildSearchMaterial(fields);
  const { columns, values } = fieldAssignments({ ...fields, code }, keyring);
  const personalIndex = ['phone_index', 'email_index']
    .map((column) => values[columns.indexOf(column)])
    .filter((value): value is string => typeof value === 'string');
  columns.push('custom', 'search_text', 'search_grams', 'personal_index', 'created_at', 'updated_at');
  values.push(
    JSON.stringify(fields.custom),
    search.text,
    search.grams,
    personalIndex,
    now.toISOString(),
    now.toISOString(),
  );
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO customers (${columns.join(', ')}) VALUES (${placeholders}) RETURNING id`,
    values,
  );
  return rows[0]?.id as number;
}
