import type { Queryable } from '../../db/database.js';
import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { assertCustomerAccess } from '../access/scope.js';
import { columnOf, lockCustomers, refreshSearchMaterial } from '../customers/customer.queries.js';
import { CUSTOMER } from '../customers/update-customer.js';
import { type Contact, createContactSchema, updateContactSchema } from './contact.schemas.js';

const CONTACT = { zh: '联系人', en: 'Contact' };
const FIELDS = ['name', 'title', 'phone', 'email', 'wechat', 'qq', 'address', 'isPrimary', 'notes'] as const;

const SELECT = `SELECT id, customer_id AS "customerId", name, title, phone, email, wechat, qq, address,
  is_primary AS "isPrimary", notes, created_at AS "createdAt", updated_at AS "updatedAt" FROM contacts`;

/**
 * Locks the customer for a contact write: the primary flag is checked and cleared across its
 * contacts, so two writers of one customer's contacts must go one after the other.
 */
async function lockCustomer(ctx: AppContext, tx: Queryable, customerId: number) {
  await assertCustomerAccess(ctx, tx, customerId, 'write');
  if ((await lockCustomers(tx, [customerId])).length === 0) throw notFound(CUSTOMER);
}

/** The contacts of a customer, primary first. */
export async function contactsOfCustomer(db: Queryable, customerId: number): Promise<Contact[]> {
  const { rows } = await db.query<Contact>(`${SELECT} WHERE customer_id = $1 ORDER BY is_primary DESC, id`, [
    customerId,
  ]);
  return rows;
}

export async function listContacts(ctx: AppContext, customerId: number): Promise<Contact[]> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  return contactsOfCustomer(ctx.db, customerId);
}

async function findContact(db: Queryable, customerId: number, contactId: number): Promise<Contact> {
  const { rows } = await db.query<Contact>(`${SELECT} WHERE customer_id = $1 AND id = $2`, [
    customerId,
    contactId,
  ]);
  if (!rows[0]) throw notFound(CONTACT);
  return rows[0];
}

/** At most one primary contact: making one primary demotes the others in the same transaction. */
async function clearPrimary(tx: Queryable, customerId: number, exceptId: number) {
  await tx.query(
    'UPDATE contacts SET is_primary = false WHERE customer_id = $1 AND id <> $2 AND is_primary',
    [customerId, exceptId],
  );
}

export async function createContact(ctx: AppContext, customerId: number, input: unknown): Promise<Contact> {
  const contact = parseOrThrow(createContactSchema, input);
  return ctx.db.transaction(async (tx) => {
    await lockCustomer(ctx, tx, customerId);
    if (contact.isPrimary) await clearPrimary(tx, customerId, -1);
    const columns = FIELDS.filter((name) => contact[name] !== undefined);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO contacts (customer_id, created_at, updated_at, ${columns.map(columnOf).join(', ')})
       VALUES ($1, $2, $2, ${columns.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING id`,
      [customerId, ctx.now().toISOString(), ...columns.map((name) => contact[name])],
    );
    await refreshSearchMaterial(tx, [customerId]);
    return findContact(tx, customerId, rows[0]?.id as number);
  });
}

export async function updateContact(
  ctx: AppContext,
  customerId: number,
  contactId: number,
  input: unknown,
): Promise<Contact> {
  const patch = parseOrThrow(updateContactSchema, input);
  return ctx.db.transaction(async (tx) => {
    await lockCustomer(ctx, tx, customerId);
    await findContact(tx, customerId, contactId);
    if (patch.isPrimary) await clearPrimary(tx, customerId, contactId);
    const columns = FIELDS.filter((name) => patch[name] !== undefined);
    if (columns.length > 0) {
      await tx.query(
        `UPDATE contacts SET ${columns.map((name, i) => `${columnOf(name)} = $${i + 4}`).join(', ')}, updated_at = $3
         WHERE customer_id = $1 AND id = $2`,
        [customerId, contactId, ctx.now().toISOString(), ...columns.map((name) => patch[name])],
      );
    }
    await refreshSearchMaterial(tx, [customerId]);
    return findContact(tx, customerId, contactId);
  });
}

export async function deleteContact(ctx: AppContext, customerId: number, contactId: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await lockCustomer(ctx, tx, customerId);
    await findContact(tx, customerId, contactId);
    await tx.query('DELETE FROM contacts WHERE customer_id = $1 AND id = $2', [customerId, contactId]);
    await refreshSearchMaterial(tx, [customerId]);
  });
}
