import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { findCustomerByCode, findCustomerById } from './customer.queries.js';
import type { Customer } from './customer.schemas.js';
import { CUSTOMER } from './update-customer.js';

export async function getCustomer(ctx: AppContext, id: number): Promise<Customer> {
  const customer = await findCustomerById(ctx.db, id);
  if (!customer) throw notFound(CUSTOMER);
  return customer;
}

export async function getCustomerByCode(ctx: AppContext, code: string): Promise<Customer> {
  const customer = await findCustomerByCode(ctx.db, code);
  if (!customer) throw notFound(CUSTOMER);
  return customer;
}

/** Deletes a customer with its contacts and transactions (foreign keys cascade in the same statement). */
export async function deleteCustomer(ctx: AppContext, id: number): Promise<void> {
  const result = await ctx.db.query('DELETE FROM customers WHERE id = $1', [id]);
  if (result.rowCount === 0) throw notFound(CUSTOMER);
}
