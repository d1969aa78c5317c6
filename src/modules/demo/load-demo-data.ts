import { generateDemoData } from '../../domain/demo/generate-demo-data.js';
import { AppError, validationError } from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { issuesFromZod } from '../../shared/validation.js';
import { recordAudit } from '../audit/audit-log.js';
import { createContactSchema } from '../contacts/contact.schemas.js';
import { bulkInsertCustomers } from '../customers/bulk-insert-customers.js';
import { refreshSearchMaterial } from '../customers/customer.queries.js';
import { createCustomerSchema, customerFieldNames } from '../customers/customer.schemas.js';
import { sealPersonalFields } from '../customers/personal-data.js';
import { refreshPurchaseSummary } from '../transactions/purchase-summary.js';

export interface DemoReport {
  customers: number;
  contacts: number;
  transactions: number;
}

const BATCH = 1000;

/**
 * Loads the deterministic demo data set (Chinese SME customers, contacts and two years of
 * transactions up to today) into an empty database, validated with the same schemas as the API,
 * in one transaction. A database that already holds customers is left alone.
 */
export async function loadDemoData(
  ctx: AppContext,
  options: { customers?: number; seed?: number } = {},
): Promise<DemoReport> {
  const existing = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  if ((existing.rows[0]?.n ?? 0) > 0) {
    throw new AppError('DUPLICATE', {
      zh: '数据库中已有客户，演示数据只能载入空数据库（可用 --data 指定新的数据目录）',
      en: 'The database already has customers; demo data loads into an empty database only (use --data for a new folder)',
    });
  }
  const today = localDate(ctx.now());
  const data = generateDemoData({
    seed: options.seed ?? 1,
    customers: options.customers ?? 2000,
    asOf: today,
  });
  const customers = data.customers.map((customer, index) => {
    const parsed = createCustomerSchema.safeParse(customer);
    if (!parsed.success) {
      throw validationError(issuesFromZod(parsed.error, `customers[${index}]`));
    }
    const { custom, ...fields } = parsed.data;
    return { fields: fields as Record<string, unknown>, custom: custom ?? {} };
  });
  const contacts = data.contacts.map((contact, index) => {
    const parsed = createContactSchema.safeParse(contact);
    if (!parsed.success) throw validationError(issuesFromZod(parsed.error, `contacts[${index}]`));
    return { customerCode: contact.customerCode, ...parsed.data };
  });

  await ctx.db.transaction(async (tx) => {
    for (let i = 0; i < customers.length; i += BATCH) {
      await bulkInsertCustomers(tx, customers.slice(i, i + BATCH), customerFieldNames, today, ctx.keyring);
    }
    const ids = new Map(
      (await tx.query<{ id: number; code: string }>('SELECT id, code FROM customers')).rows.map((row) => [
        row.code,
        row.id,
      ]),
    );
    const idOf = (code: string) => {
      const id = ids.get(code);
      if (id === undefined) throw new Error(`demo data refers to unknown customer ${code}`);
      return id;
    };
    await tx.query(
      `INSERT INTO contacts (customer_id, name, title, phone, email, wechat, is_primary, phone_index, email_index)
       SELECT customer_id, name, title, phone, email, wechat, coalesce(is_primary, false), phone_index, email_index
       FROM jsonb_to_recordset($1::jsonb) AS r(customer_id bigint, name text, title text, phone text, email text,
                                               wechat text, is_primary boolean, phone_index text, email_index text)`,
      [
        JSON.stringify(
          contacts.map((contact) => {
            const personal: Record<string, unknown> = {
              phone: contact.phone ?? null,
              email: contact.email ?? null,
              wechat: contact.wechat ?? null,
            };
            const indexes = sealPersonalFields(ctx.keyring, personal);
            return {
              customer_id: idOf(contact.customerCode),
              name: contact.name,
              title: contact.title ?? null,
              ...personal,
              is_primary: contact.isPrimary ?? false,
              phone_index: indexes.phone_index ?? null,
              email_index: indexes.email_index ?? null,
            };
          }),
        ),
      ],
    );
    for (let i = 0; i < data.transactions.length; i += 5000) {
      const batch = data.transactions.slice(i, i + 5000);
      await tx.query(
        `INSERT INTO transactions (customer_id, occurred_on, product, category, quantity, amount, cost, channel, external_ref)
         SELECT * FROM unnest($1::bigint[], $2::date[], $3::text[], $4::text[], $5::numeric[], $6::numeric[],
                              $7::numeric[], $8::text[], $9::text[])`,
        [
          batch.map((t) => idOf(t.customerCode)),
          batch.map((t) => t.occurredOn),
          batch.map((t) => t.product),
          batch.map((t) => t.category),
          batch.map((t) => t.quantity),
          batch.map((t) => t.amount),
          batch.map((t) => t.cost ?? null),
          batch.map((t) => t.channel),
          batch.map((t) => t.externalRef),
        ],
      );
    }
    const allIds = Array.from(ids.values());
    await refreshPurchaseSummary(tx, allIds);
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'demo.load', details: { customers: customers.length } },
      ctx.now(),
    );
    await refreshSearchMaterial(
      tx,
      Array.from(new Set(contacts.map((contact) => idOf(contact.customerCode)))),
    );
  });
  return { customers: customers.length, contacts: contacts.length, transactions: data.transactions.length };
}
