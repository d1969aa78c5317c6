import { validateCustomValues } from '../../domain/custom-fields/custom-field-values.js';
import { AppError, notFound, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { actorCan } from '../access/actor.js';
import { assertCustomerAccess } from '../access/scope.js';
import { changedFields } from '../audit/audit-changes.js';
import { recordAudit } from '../audit/audit-log.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';
import { assertUniqueFields } from '../settings/unique-fields.js';
import { duplicateCode } from './create-customer.js';
import {
  fieldAssignments,
  findCustomerById,
  refreshSearchMaterial,
  resolveOwner,
} from './customer.queries.js';
import { type Customer, customerFieldNames, updateCustomerSchema } from './customer.schemas.js';
import { decryptPersonal, presentPersonal, sealPersonalCustom } from './personal-data.js';
import { recordOwnershipTransfer } from './transfer-customer.js';

export const CUSTOMER = { zh: '客户', en: 'Customer' };

const SEARCHED_FIELDS = ['name', 'company', 'phone', 'email'] as const;

/**
 * Applies a partial update. The caller sends the `version` it read; if someone saved in between,
 * nothing is written and VERSION_CONFLICT (409) tells the caller to reload.
 */
export async function updateCustomer(ctx: AppContext, id: number, input: unknown): Promise<Customer> {
  const patch = parseOrThrow(updateCustomerSchema, input);
  if (patch.name === null) throw validationError([{ field: 'name', message: '不能为空 / Required' }]);
  const defs = await listCustomFields(ctx.db);
  const custom = validateCustomValues(defs, patch.custom ?? {}, 'update');
  if (custom.issues.length === 0) sealPersonalCustom(ctx.keyring, defs, custom.values);
  if (custom.issues.length > 0) throw validationError(custom.issues);
  const { version, custom: _custom, ...fields } = patch;
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, id, 'write');
    const before = await findCustomerById(tx, id);
    await resolveOwner(tx, fields);
    const ownerChanges = fields.ownerId !== undefined && before && fields.ownerId !== before.ownerId;
    if (ownerChanges && !actorCan(ctx.actor, 'customers.transfer')) {
      throw new AppError('FORBIDDEN', { zh: '没有转移客户的权限', en: 'You may not transfer customers' }, [
        { field: 'owner', message: '需要 customers.transfer 权限 / Needs customers.transfer' },
      ]);
    }
    if (fields.code) {
      const taken = await tx.query('SELECT 1 FROM customers WHERE code = $1 AND id <> $2', [fields.code, id]);
      if (taken.rows.length > 0) throw duplicateCode(fields.code);
    }
    await assertUniqueFields(tx, { fields, custom: custom.values }, id);
    const { columns, values } = fieldAssignments(fields, ctx.keyring);
    const sets = columns.map((column, i) => `${column} = $${i + 3}`);
    values.push(JSON.stringify(custom.values), custom.removed, ctx.now().toISOString());
    sets.push(`custom = (custom || $${values.length}::jsonb) - $${values.length + 1}::text[]`);
    sets.push(`updated_at = $${values.length + 2}::timestamptz`);
    const result = await tx.query(
      `UPDATE customers SET ${sets.join(', ')}, version = version + 1
       WHERE id = $1 AND version = $2`,
      [id, version, ...values],
    );
    if (result.rowCount === 0) {
      const current = await findCustomerById(tx, id);
      if (!current) throw notFound(CUSTOMER);
      throw new AppError(
        'VERSION_CONFLICT',
        {
          zh: '该客户已被他人修改，请刷新后重试',
          en: 'This customer was changed by someone else; reload and try again',
        },
        { currentVersion: current.version, yourVersion: version },
      );
    }
    if (SEARCHED_FIELDS.some((name) => fields[name] !== undefined)) await refreshSearchMaterial(tx, [id]);
    const after = decryptPersonal(ctx, (await findCustomerById(tx, id)) as Customer);
    if (ownerChanges && before) {
      await recordOwnershipTransfer(tx, ctx, id, before.ownerId, after.ownerId, null);
    }
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'customer.update',
        entityType: 'customer',
        entityId: id,
        customerId: id,
        details: {
          changes: changedFields(before ? decryptPersonal(ctx, before) : {}, after, [
            ...customerFieldNames,
            'custom',
          ]),
        },
      },
      ctx.now(),
    );
    return presentPersonal(ctx, after);
  });
}
