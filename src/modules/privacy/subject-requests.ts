import ExcelJS from 'exceljs';
import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { assertCustomerAccess } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { contactsOfCustomer } from '../contacts/contacts.js';
import { findCustomerById, refreshSearchMaterial } from '../customers/customer.queries.js';
import { decryptPersonal, presentPersonal } from '../customers/personal-data.js';

export interface SubjectData {
  exportedAt: string;
  customer: Record<string, unknown>;
  contacts: Record<string, unknown>[];
  transactions: Record<string, unknown>[];
  consents: Record<string, unknown>[];
  collaborators: Record<string, unknown>[];
  ownershipTransfers: Record<string, unknown>[];
  auditTrail: Record<string, unknown>[];
}

const CUSTOMER = { zh: '客户', en: 'Customer' };

/**
 * Everything Clientele holds about one customer, personal fields decrypted — the answer to a
 * data-subject access request (PIPL art. 45). The export itself is audited.
 */
export async function exportSubjectData(ctx: AppContext, customerId: number): Promise<SubjectData> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const stored = await findCustomerById(ctx.db, customerId);
  if (!stored) throw notFound(CUSTOMER);
  const query = async (sql: string) => (await ctx.db.query<Record<string, unknown>>(sql, [customerId])).rows;
  const data: SubjectData = {
    exportedAt: ctx.now().toISOString(),
    customer: presentPersonal(ctx, stored, 'full') as unknown as Record<string, unknown>,
    contacts: (await contactsOfCustomer(ctx.db, customerId)).map(
      (contact) => decryptPersonal(ctx, contact) as unknown as Record<string, unknown>,
    ),
    transactions: await query(
      `SELECT id, occurred_on AS "occurredOn", product, category, quantity::text AS quantity, amount::text AS amount,
              cost::text AS cost, channel, external_ref AS "externalRef", notes FROM transactions
       WHERE customer_id = $1 ORDER BY occurred_on, id`,
    ),
    consents: await query(
      `SELECT purpose, scope, channel, granted_at AS "grantedAt", withdrawn_at AS "withdrawnAt", recorded_by AS "recordedBy"
       FROM consents WHERE customer_id = $1 ORDER BY granted_at, id`,
    ),
    collaborators: await query(
      `SELECT u.username, k.access, k.until FROM customer_collaborators k JOIN users u ON u.id = k.user_id
       WHERE k.customer_id = $1`,
    ),
    ownershipTransfers: await query(
      `SELECT t.at, f.username AS "from", o.username AS "to", t.actor, t.reason FROM ownership_transfers t
       LEFT JOIN users f ON f.id = t.from_user_id LEFT JOIN users o ON o.id = t.to_user_id
       WHERE t.customer_id = $1 ORDER BY t.at`,
    ),
    auditTrail: await query(
      `SELECT at, actor, action, details FROM audit_log WHERE customer_id = $1 ORDER BY id`,
    ),
  };
  await ctx.db.transaction((tx) =>
    recordAudit(
      tx,
      ctx.actor,
      { action: 'subject.export', entityType: 'customer', entityId: customerId, customerId },
      ctx.now(),
    ),
  );
  return data;
}

function cell(value: unknown): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The same data as an Excel workbook, one sheet per kind, headers in the first row. */
export async function subjectDataWorkbook(data: SubjectData): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(data.exportedAt);
  const sheet = (name: string, rows: Record<string, unknown>[]) => {
    const worksheet = workbook.addWorksheet(name);
    const columns = Array.from(new Set(rows.flatMap((row) => Object.keys(row))));
    worksheet.addRow(columns);
    worksheet.getRow(1).font = { bold: true };
    for (const row of rows) worksheet.addRow(columns.map((column) => cell(row[column])));
  };
  sheet('客户 Customer', [data.customer]);
  sheet('联系人 Contacts', data.contacts);
  sheet('交易 Transactions', data.transactions);
  sheet('同意 Consents', data.consents);
  sheet('协作人 Collaborators', data.collaborators);
  sheet('转移 Transfers', data.ownershipTransfers);
  sheet('审计 Audit', data.auditTrail);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Erases a customer's personal data on request (PIPL art. 47): personal and descriptive fields are
 * cleared, the name replaced, contacts deleted, consents withdrawn; transactions stay, tied to an
 * anonymous customer, so revenue figures remain true. One transaction, audited.
 */
export async function eraseSubject(ctx: AppContext, customerId: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const stored = await findCustomerById(tx, customerId);
    if (!stored) throw notFound(CUSTOMER);
    const now = ctx.now().toISOString();
    await tx.query(
      `UPDATE customers SET name = $2, company = NULL, phone = NULL, email = NULL, wechat = NULL, qq = NULL,
         address = NULL, birth_year = NULL, age_band = NULL, gender = NULL, occupation = NULL, income_level = NULL,
         needs = NULL, purchase_preferences = NULL, communication_time = NULL, interests = NULL,
         service_expectations = NULL, notes = NULL, legacy_owner = NULL, tags = '{}', custom = '{}',
         phone_index = NULL, email_index = NULL, erased_at = $3, updated_at = $3, version = version + 1
       WHERE id = $1`,
      [customerId, `已删除客户 #${customerId}`, now],
    );
    await tx.query('DELETE FROM contacts WHERE customer_id = $1', [customerId]);
    await tx.query('UPDATE consents SET withdrawn_at = coalesce(withdrawn_at, $2) WHERE customer_id = $1', [
      customerId,
      now,
    ]);
    await tx.query('DELETE FROM customer_collaborators WHERE customer_id = $1', [customerId]);
    await refreshSearchMaterial(tx, [customerId]);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'subject.erase',
        entityType: 'customer',
        entityId: customerId,
        customerId,
        details: { code: stored.code },
      },
      ctx.now(),
    );
  });
}
