import type { Queryable } from '../../db/database.js';
import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { assertCustomerAccess } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { columnOf, lockCustomers, refreshSearchMaterial } from '../customers/customer.queries.js';
import {
  disclosureFor,
  hasPersonalValues,
  presentPersonal,
  sealPersonalFields,
} from '../customers/personal-data.js';
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

/** Columns and values of a contact write, personal fields encrypted with their blind indexes. */
function sealedAssignments(ctx: AppContext, input: Partial<Record<(typeof FIELDS)[number], unknown>>) {
  const sealed: Record<string, unknown> = {};
  for (const name of FIELDS) if (input[name] !== undefined) sealed[name] = input[name];
  const indexes = sealPersonalFields(ctx.keyring, sealed);
  const entries = [
    ...Object.entries(sealed).map(([name, value]) => [columnOf(name), value] as const),
    ...Object.entries(indexes),
  ];
  return { columns: entries.map(([column]) => column), values: entries.map(([, value]) => value) };
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
  const contacts = await contactsOfCustomer(ctx.db, customerId);
  const disclosure = disclosureFor(ctx);
  if (disclosure === 'full' && contacts.some(hasPersonalValues)) {
    await ctx.db.transaction((tx) =>
      recordAudit(
        tx,
        ctx.actor,
        {
          action: 'personal.view',
          entityType: 'customer',
          entityId: customerId,
          customerId,
          details: { via: 'contacts' },
        },
        ctx.now(),
      ),
    );
  }
  return contacts.map((contact) => presentPersonal(ctx, contact, disclosure));
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
    const { columns, values } = sealedAssignments(ctx, contact);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO contacts (customer_id, created_at, updated_at, ${columns.join(', ')})
       VALUES ($1, $2, $2, ${columns.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING id`,
      [customerId, ctx.now().toISOString(), ...values],
    );
    await refreshSearchMaterial(tx, [customerId]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'contact.create',
        entityType: 'contact',
        entityId: rows[0]?.id,
        customerId,
        details: { name: contact.name },
      },
      ctx.now(),
    );
    return presentPersonal(ctx, await findContact(tx, customerId, rows[0]?.id as number));
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
    const { columns, values } = sealedAssignments(ctx, patch);
    if (columns.length > 0) {
      await tx.query(
        `UPDATE contacts SET ${columns.map((column, i) => `${column} = $${i + 4}`).join(', ')}, updated_at = $3
         WHERE customer_id = $1 AND id = $2`,
        [customerId, contactId, ctx.now().toISOString(), ...values],
      );
    }
    await refreshSearchMaterial(tx, [customerId]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'contact.update',
        entityType: 'contact',
        entityId: contactId,
        customerId,
        details: { fields: Object.keys(patch) },
      },
      ctx.now(),
    );
    return presentPersonal(ctx, await findContact(tx, customerId, contactId));
  });
}

export async function deleteContact(ctx: AppContext, customerId: number, contactId: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await lockCustomer(ctx, tx, customerId);
    await findContact(tx, customerId, contactId);
    await tx.query('DELETE FROM contacts WHERE customer_id = $1 AND id = $2', [customerId, contactId]);
    await refreshSearchMaterial(tx, [customerId]);
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'contact.delete', entityType: 'contact', entityId: contactId, customerId, details: {} },
      ctx.now(),
    );
  });
}
