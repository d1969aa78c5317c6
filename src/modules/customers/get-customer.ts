import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { assertCustomerAccess } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { contactsOfCustomer } from '../contacts/contacts.js';
import { findCustomerByCode, findCustomerById } from './customer.queries.js';
import type { Customer, CustomerWithContacts } from './customer.schemas.js';
import { CUSTOMER } from './update-customer.js';

async function withContacts(ctx: AppContext, customer: Customer | undefined): Promise<CustomerWithContacts> {
  if (!customer) throw notFound(CUSTOMER);
  return { ...customer, contacts: await contactsOfCustomer(ctx.db, customer.id) };
}

/** One customer with its contacts (primary first). */
export async function getCustomer(ctx: AppContext, id: number): Promise<CustomerWithContacts> {
  await assertCustomerAccess(ctx, ctx.db, id, 'read');
  return withContacts(ctx, await findCustomerById(ctx.db, id));
}

export async function getCustomerByCode(ctx: AppContext, code: string): Promise<CustomerWithContacts> {
  const customer = await findCustomerByCode(ctx.db, code);
  if (customer) await assertCustomerAccess(ctx, ctx.db, customer.id, 'read');
  return withContacts(ctx, customer);
}

/** Deletes a customer with its contacts and transactions (foreign keys cascade in the same statement). */
export async function deleteCustomer(ctx: AppContext, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, id, 'write');
    const before = await findCustomerById(tx, id);
    const result = await tx.query('DELETE FROM customers WHERE id = $1', [id]);
    if (result.rowCount === 0 || !before) throw notFound(CUSTOMER);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'customer.delete',
        entityType: 'customer',
        entityId: id,
        customerId: id,
        details: { code: before.code, name: before.name },
      },
      ctx.now(),
    );
  });
}
