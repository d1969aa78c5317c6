import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
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
  return withContacts(ctx, await findCustomerById(ctx.db, id));
}

export async function getCustomerByCode(ctx: AppContext, code: string): Promise<CustomerWithContacts> {
  return withContacts(ctx, await findCustomerByCode(ctx.db, code));
}

/** Deletes a customer with its contacts and transactions (foreign keys cascade in the same statement). */
export async function deleteCustomer(ctx: AppContext, id: number): Promise<void> {
  const result = await ctx.db.query('DELETE FROM customers WHERE id = $1', [id]);
  if (result.rowCount === 0) throw notFound(CUSTOMER);
}
