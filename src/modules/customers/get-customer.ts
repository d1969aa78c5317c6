import type { PersonalField } from '../../domain/security/masking.js';
import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { assertCustomerAccess } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { contactsOfCustomer } from '../contacts/contacts.js';
import { findCustomerByCode, findCustomerById } from './customer.queries.js';
import type { Customer, CustomerWithContacts } from './customer.schemas.js';
import { decryptPersonal, disclosureFor, hasPersonalValues, presentPersonal } from './personal-data.js';
import { CUSTOMER } from './update-customer.js';

/**
 * The customer with its contacts, personal fields in full for actors with `personal.view` — which
 * is a view of personal data and goes into the audit trail — and masked for everyone else.
 */
async function withContacts(ctx: AppContext, customer: Customer | undefined): Promise<CustomerWithContacts> {
  if (!customer) throw notFound(CUSTOMER);
  const contacts = await contactsOfCustomer(ctx.db, customer.id);
  const disclosure = disclosureFor(ctx);
  if (disclosure === 'full' && (hasPersonalValues(customer) || contacts.some(hasPersonalValues))) {
    await ctx.db.transaction((tx) =>
      recordAudit(
        tx,
        ctx.actor,
        {
          action: 'personal.view',
          entityType: 'customer',
          entityId: customer.id,
          customerId: customer.id,
          details: { via: 'detail' },
        },
        ctx.now(),
      ),
    );
  }
  return {
    ...presentPersonal(ctx, customer, disclosure),
    contacts: contacts.map((contact) => presentPersonal(ctx, contact, disclosure)),
  };
}

/**
 * Reveals chosen personal fields of one customer in full: an explicit, audited action, for actors
 * with `personal.view` (the web app shows masked values until asked).
 */
export async function revealPersonalFields(
  ctx: AppContext,
  id: number,
  fields: readonly PersonalField[],
): Promise<Partial<Record<PersonalField, string | null>>> {
  await assertCustomerAccess(ctx, ctx.db, id, 'read');
  const customer = await findCustomerById(ctx.db, id);
  if (!customer) throw notFound(CUSTOMER);
  const full = decryptPersonal(ctx, customer) as unknown as Record<string, string | null>;
  const result: Partial<Record<PersonalField, string | null>> = {};
  for (const field of fields) result[field] = full[field] ?? null;
  await ctx.db.transaction((tx) =>
    recordAudit(
      tx,
      ctx.actor,
      {
        action: 'personal.reveal',
        entityType: 'customer',
        entityId: id,
        customerId: id,
        details: { fields },
      },
      ctx.now(),
    ),
  );
  return result;
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
