import type { Queryable } from '../../db/database.js';
import { amountStillDue, fromFen, paymentProgress, toFen } from '../../domain/records/payment-progress.js';
import {
  AppError,
  type Bilingual,
  type FieldIssue,
  notFound,
  validationError,
} from '../../shared/app-error.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { assertCustomerAccess } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';
import { lockCustomers } from '../customers/customer.queries.js';
import { refreshCustomerCredit } from './overdue-credit.js';
import {
  createProjectSchema,
  instalmentInputSchema,
  type Project,
  type ProjectDetail,
  paymentInputSchema,
  updateInstalmentSchema,
  updatePaymentSchema,
  updateProjectSchema,
} from './project.schemas.js';

const PROJECT = { zh: '项目', en: 'Project' };
const INSTALMENT = { zh: '付款计划', en: 'Instalment' };
const PAYMENT = { zh: '回款记录', en: 'Payment' };

const PROJECT_COLUMNS = `p.id, p.customer_id AS "customerId", p.name, p.type, p.starts_on AS "startsOn",
  p.ends_on AS "endsOn", p.status, p.outcome, p.customer_feedback AS "customerFeedback",
  p.contract_amount::text AS "contractAmount", p.created_by AS "createdBy", p.created_at AS "createdAt",
  p.updated_at AS "updatedAt"`;

type ProjectRow = Omit<Project, 'progress'>;
interface InstalmentRow {
  projectId: number;
  id: number;
  dueOn: string;
  amount: string;
  label: string | null;
}
interface PaymentRow {
  projectId: number;
  id: number;
  receivedOn: string;
  amount: string;
  notes: string | null;
  createdBy: string;
  createdAt: string;
}

/** Projects of a customer with their schedules and payments, and their progress on `today`. */
async function loadProjects(
  db: Queryable,
  customerId: number,
  today: string,
  projectId?: number,
): Promise<Omit<ProjectDetail, 'customerCreditStatus'>[]> {
  const only = projectId === undefined ? '' : 'AND project_id = $2';
  const params = projectId === undefined ? [customerId] : [customerId, projectId];
  const projects = await db.query<ProjectRow>(
    `SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.customer_id = $1 ${projectId === undefined ? '' : 'AND p.id = $2'}
     ORDER BY p.created_at DESC, p.id DESC`,
    params,
  );
  const instalments = await db.query<InstalmentRow>(
    `SELECT project_id AS "projectId", id, due_on AS "dueOn", amount::text AS amount, label
     FROM project_instalments WHERE customer_id = $1 ${only} ORDER BY due_on, id`,
    params,
  );
  const payments = await db.query<PaymentRow>(
    `SELECT project_id AS "projectId", id, received_on AS "receivedOn", amount::text AS amount, notes,
       created_by AS "createdBy", created_at AS "createdAt"
     FROM project_payments WHERE customer_id = $1 ${only} ORDER BY received_on, id`,
    params,
  );
  return projects.rows.map((project) => {
    const schedule = instalments.rows.filter((row) => row.projectId === project.id);
    const received = payments.rows.filter((row) => row.projectId === project.id);
    const { instalments: states, ...progress } = paymentProgress(
      project.contractAmount,
      schedule,
      received,
      today,
    );
    const stateOf = new Map(states.map((state) => [state.id, state]));
    return {
      ...project,
      progress,
      instalments: schedule.map(({ projectId: _p, ...row }) => {
        const state = stateOf.get(row.id);
        return {
          ...row,
          paid: state?.paid ?? '0.00',
          remaining: state?.remaining ?? row.amount,
          state: state?.state ?? 'due',
        };
      }),
      payments: received.map(({ projectId: _p, ...row }) => row),
    };
  });
}

async function creditStatusOf(db: Queryable, customerId: number): Promise<string | null> {
  const { rows } = await db.query<{ credit_status: string | null }>(
    'SELECT credit_status FROM customers WHERE id = $1',
    [customerId],
  );
  return rows[0]?.credit_status ?? null;
}

async function detail(
  ctx: AppContext,
  db: Queryable,
  customerId: number,
  projectId: number,
): Promise<ProjectDetail> {
  const [project] = await loadProjects(db, customerId, localDate(ctx.now()), projectId);
  if (!project) throw notFound(PROJECT);
  return { ...project, customerCreditStatus: await creditStatusOf(db, customerId) };
}

/** Locks a project for a schedule or payment write: its checks then see every earlier write. */
async function lockProject(
  tx: Queryable,
  customerId: number,
  projectId: number,
): Promise<{ contractAmount: string | null; startsOn: string | null; endsOn: string | null }> {
  const { rows } = await tx.query<{
    contractAmount: string | null;
    startsOn: string | null;
    endsOn: string | null;
  }>(
    `SELECT contract_amount::text AS "contractAmount", starts_on AS "startsOn", ends_on AS "endsOn"
     FROM projects WHERE customer_id = $1 AND id = $2 FOR UPDATE`,
    [customerId, projectId],
  );
  if (!rows[0]) throw notFound(PROJECT);
  return rows[0];
}

interface Totals {
  contract: string | null;
  instalments: { amount: string }[];
  payments: { amount: string }[];
}

async function totalsOf(tx: Queryable, customerId: number, projectId: number): Promise<Totals> {
  const project = await tx.query<{ contract: string | null }>(
    'SELECT contract_amount::text AS contract FROM projects WHERE customer_id = $1 AND id = $2',
    [customerId, projectId],
  );
  const instalments = await tx.query<{ amount: string }>(
    'SELECT amount::text AS amount FROM project_instalments WHERE customer_id = $1 AND project_id = $2',
    [customerId, projectId],
  );
  const payments = await tx.query<{ amount: string }>(
    'SELECT amount::text AS amount FROM project_payments WHERE customer_id = $1 AND project_id = $2',
    [customerId, projectId],
  );
  return {
    contract: project.rows[0]?.contract ?? null,
    instalments: instalments.rows,
    payments: payments.rows,
  };
}

const sumFen = (items: { amount: string }[]) => items.reduce((total, item) => total + toFen(item.amount), 0n);

/**
 * After a change to a contract amount or a schedule: the instalments may not add up to more than
 * the contract, and what was received may not exceed what is due. Throws naming `field`, so the
 * transaction rolls back and nothing is written.
 */
async function assertScheduleFits(tx: Queryable, customerId: number, projectId: number, field: string) {
  const totals = await totalsOf(tx, customerId, projectId);
  const scheduled = sumFen(totals.instalments);
  const received = sumFen(totals.payments);
  const issues: FieldIssue[] = [];
  let text: Bilingual | undefined;
  if (totals.contract !== null && scheduled > toFen(totals.contract)) {
    text = { zh: '付款计划超过合同金额', en: 'The instalments exceed the contract amount' };
    issues.push({
      field,
      message: `付款计划合计 ${fromFen(scheduled)}，超过合同金额 ${totals.contract} / The instalments add up to ${fromFen(scheduled)}, more than the contract amount ${totals.contract}`,
    });
  } else {
    const due = totals.contract === null ? scheduled : toFen(totals.contract);
    if (received > due) {
      text = { zh: '已收款多于应收金额', en: 'More has been received than would be due' };
      issues.push({
        field,
        message: `已收款 ${fromFen(received)}，多于${totals.contract === null ? '付款计划合计' : '合同金额'} ${fromFen(due)} / ${fromFen(received)} has been received, more than the ${totals.contract === null ? 'instalments add up to' : 'contract amount'} (${fromFen(due)})`,
      });
    }
  }
  if (text) throw new AppError('VALIDATION_FAILED', text, issues);
}

function datesInOrder(startsOn: string | null | undefined, endsOn: string | null | undefined): void {
  if (startsOn && endsOn && endsOn < startsOn) {
    throw validationError([
      { field: 'endsOn', message: '不能早于开始日期 / Cannot be before the start date' },
    ]);
  }
}

/** Recomputes the customer's overdue credit status after a write, in the same transaction. */
async function refreshCredit(ctx: AppContext, tx: Queryable, customerId: number) {
  await lockCustomers(tx, [customerId]);
  await refreshCustomerCredit(tx, ctx.actor, [customerId], localDate(ctx.now()), ctx.now());
}

async function insertInstalments(
  tx: Queryable,
  customerId: number,
  projectId: number,
  rows: { dueOn: string; amount: string; label?: string | null }[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const { rows: inserted } = await tx.query<{ id: number }>(
    `INSERT INTO project_instalments (customer_id, project_id, due_on, amount, label)
     SELECT $1, $2, * FROM unnest($3::date[], $4::numeric[], $5::text[]) RETURNING id`,
    [
      customerId,
      projectId,
      rows.map((row) => row.dueOn),
      rows.map((row) => row.amount),
      rows.map((row) => row.label ?? null),
    ],
  );
  return inserted.map((row) => row.id);
}

/** Creates a project (项目/合同) with its payment schedule, if given. */
export async function createProject(
  ctx: AppContext,
  customerId: number,
  input: unknown,
): Promise<ProjectDetail> {
  const fields = parseOrThrow(createProjectSchema, input);
  datesInOrder(fields.startsOn, fields.endsOn);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const now = ctx.now().toISOString();
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO projects (customer_id, name, type, starts_on, ends_on, status, outcome, customer_feedback,
         contract_amount, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
      [
        customerId,
        fields.name,
        fields.type ?? null,
        fields.startsOn ?? null,
        fields.endsOn ?? null,
        fields.status ?? 'active',
        fields.outcome ?? null,
        fields.customerFeedback ?? null,
        fields.contractAmount ?? null,
        ctx.actor.name,
        now,
      ],
    );
    const projectId = rows[0]?.id as number;
    await insertInstalments(tx, customerId, projectId, fields.instalments ?? []);
    await assertScheduleFits(tx, customerId, projectId, 'instalments');
    await refreshCredit(ctx, tx, customerId);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'project.create',
        entityType: 'project',
        entityId: projectId,
        customerId,
        details: {
          name: fields.name,
          contractAmount: fields.contractAmount ?? null,
          instalments: fields.instalments?.length ?? 0,
        },
      },
      ctx.now(),
    );
    return detail(ctx, tx, customerId, projectId);
  });
}

const PROJECT_COLUMN_OF: Record<string, string> = {
  name: 'name',
  type: 'type',
  startsOn: 'starts_on',
  endsOn: 'ends_on',
  status: 'status',
  outcome: 'outcome',
  customerFeedback: 'customer_feedback',
  contractAmount: 'contract_amount',
};

export async function updateProject(
  ctx: AppContext,
  customerId: number,
  projectId: number,
  input: unknown,
): Promise<ProjectDetail> {
  const patch = parseOrThrow(updateProjectSchema, input);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const before = await lockProject(tx, customerId, projectId);
    datesInOrder(
      patch.startsOn === undefined ? before.startsOn : patch.startsOn,
      patch.endsOn === undefined ? before.endsOn : patch.endsOn,
    );
    const changed = Object.keys(PROJECT_COLUMN_OF).filter(
      (name) => patch[name as keyof typeof patch] !== undefined,
    );
    if (changed.length > 0) {
      await tx.query(
        `UPDATE projects SET ${changed.map((name, i) => `${PROJECT_COLUMN_OF[name]} = $${i + 3}`).join(', ')},
           updated_at = $${changed.length + 3}
         WHERE customer_id = $1 AND id = $2`,
        [
          customerId,
          projectId,
          ...changed.map((name) => patch[name as keyof typeof patch] ?? null),
          ctx.now().toISOString(),
        ],
      );
    }
    await assertScheduleFits(tx, customerId, projectId, 'contractAmount');
    await refreshCredit(ctx, tx, customerId);
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'project.update',
        entityType: 'project',
        entityId: projectId,
        customerId,
        details: { fields: changed },
      },
      ctx.now(),
    );
    return detail(ctx, tx, customerId, projectId);
  });
}

export async function deleteProject(ctx: AppContext, customerId: number, projectId: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    await lockProject(tx, customerId, projectId);
    await tx.query('DELETE FROM projects WHERE customer_id = $1 AND id = $2', [customerId, projectId]);
    await refreshCredit(ctx, tx, customerId);
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'project.delete', entityType: 'project', entityId: projectId, customerId, details: {} },
      ctx.now(),
    );
  });
}

export async function listProjects(ctx: AppContext, customerId: number): Promise<{ items: Project[] }> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const projects = await loadProjects(ctx.db, customerId, localDate(ctx.now()));
  return { items: projects.map(({ instalments: _i, payments: _p, ...project }) => project) };
}

export async function getProject(
  ctx: AppContext,
  customerId: number,
  projectId: number,
): Promise<ProjectDetail> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  return detail(ctx, ctx.db, customerId, projectId);
}

/** One write to a project's schedule or payments: access, project lock, the change, checks, credit, audit. */
async function scheduleWrite(
  ctx: AppContext,
  customerId: number,
  projectId: number,
  change: (
    tx: Queryable,
  ) => Promise<{ action: string; entityType: string; entityId: number; details: object }>,
): Promise<ProjectDetail> {
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    await lockProject(tx, customerId, projectId);
    const audit = await change(tx);
    await refreshCredit(ctx, tx, customerId);
    await recordAudit(
      tx,
      ctx.actor,
      { ...audit, customerId, details: { projectId, ...audit.details } },
      ctx.now(),
    );
    return detail(ctx, tx, customerId, projectId);
  });
}

async function assertExists(
  tx: Queryable,
  table: string,
  customerId: number,
  projectId: number,
  id: number,
  what: Bilingual,
) {
  const { rows } = await tx.query<{ amount: string }>(
    `SELECT amount::text AS amount FROM ${table} WHERE customer_id = $1 AND project_id = $2 AND id = $3`,
    [customerId, projectId, id],
  );
  if (!rows[0]) throw notFound(what);
  return rows[0];
}

export async function addInstalment(
  ctx: AppContext,
  customerId: number,
  projectId: number,
  input: unknown,
): Promise<ProjectDetail> {
  const fields = parseOrThrow(instalmentInputSchema, input);
  return scheduleWrite(ctx, customerId, projectId, async (tx) => {
    const [id] = await insertInstalments(tx, customerId, projectId, [fields]);
    await assertScheduleFits(tx, customerId, projectId, 'amount');
    return {
      action: 'instalment.create',
      entityType: 'instalment',
      entityId: id as number,
      details: { dueOn: fields.dueOn, amount: fields.amount },
    };
  });
}

export async function updateInstalment(
  ctx: AppContext,
  customerId: number,
  projectId: number,
  instalmentId: number,
  input: unknown,
): Promise<ProjectDetail> {
  const patch = parseOrThrow(updateInstalmentSchema, input);
  return scheduleWrite(ctx, customerId, projectId, async (tx) => {
    await assertExists(tx, 'project_instalments', customerId, projectId, instalmentId, INSTALMENT);
    await tx.query(
      `UPDATE project_instalments SET due_on = coalesce($4::date, due_on), amount = coalesce($5::numeric, amount),
         label = CASE WHEN $6::boolean THEN $7 ELSE label END
       WHERE customer_id = $1 AND project_id = $2 AND id = $3`,
      [
        customerId,
        projectId,
        instalmentId,
        patch.dueOn ?? null,
        patch.amount ?? null,
        patch.label !== undefined,
        patch.label ?? null,
      ],
    );
    await assertScheduleFits(tx, customerId, projectId, 'amount');
    return {
      action: 'instalment.update',
      entityType: 'instalment',
      entityId: instalmentId,
      details: { changes: patch },
    };
  });
}

export async function deleteInstalment(
  ctx: AppContext,
  customerId: number,
  projectId: number,
  instalmentId: number,
): Promise<ProjectDetail> {
  return scheduleWrite(ctx, customerId, projectId, async (tx) => {
    const before = await assertExists(
      tx,
      'project_instalments',
      customerId,
      projectId,
      instalmentId,
      INSTALMENT,
    );
    await tx.query('DELETE FROM project_instalments WHERE customer_id = $1 AND project_id = $2 AND id = $3', [
      customerId,
      projectId,
      instalmentId,
    ]);
    await assertScheduleFits(tx, customerId, projectId, 'instalmentId');
    return { action: 'instalment.delete', entityType: 'instalment', entityId: instalmentId, details: before };
  });
}

/** Refuses a payment larger than what is still due on the project: nothing is written. */
async function assertPaymentFits(
  tx: Queryable,
  customerId: number,
  projectId: number,
  amount: string,
  exceptPaymentId = -1,
) {
  const totals = await totalsOf(tx, customerId, projectId);
  const others = await tx.query<{ amount: string }>(
    'SELECT amount::text AS amount FROM project_payments WHERE customer_id = $1 AND project_id = $2 AND id <> $3',
    [customerId, projectId, exceptPaymentId],
  );
  const stillDue = amountStillDue(totals.contract, totals.instalments, others.rows);
  if (toFen(amount) > stillDue) {
    const due = fromFen(stillDue);
    const asked = fromFen(toFen(amount));
    throw new AppError(
      'VALIDATION_FAILED',
      {
        zh: `回款金额 ${asked} 超过尚未支付的 ${due}`,
        en: `The payment of ${asked} is more than the ${due} still due`,
      },
      [
        {
          field: 'amount',
          message: `最多 ${due}（${totals.contract === null ? '付款计划合计' : '合同金额'} ${fromFen(
            totals.contract === null ? sumFen(totals.instalments) : toFen(totals.contract),
          )}，已收 ${fromFen(sumFen(others.rows))}） / At most ${due} (${totals.contract === null ? 'instalments' : 'contract'} ${fromFen(
            totals.contract === null ? sumFen(totals.instalments) : toFen(totals.contract),
          )}, received ${fromFen(sumFen(others.rows))})`,
        },
      ],
    );
  }
}

/** Records a payment received (回款); refused when larger than what is still due. */
export async function recordPayment(
  ctx: AppContext,
  customerId: number,
  projectId: number,
  input: unknown,
): Promise<ProjectDetail> {
  const fields = parseOrThrow(paymentInputSchema, input);
  return scheduleWrite(ctx, customerId, projectId, async (tx) => {
    await assertPaymentFits(tx, customerId, projectId, fields.amount);
    const receivedOn = fields.receivedOn ?? localDate(ctx.now());
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO project_payments (customer_id, project_id, received_on, amount, notes, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        customerId,
        projectId,
        receivedOn,
        fields.amount,
        fields.notes ?? null,
        ctx.actor.name,
        ctx.now().toISOString(),
      ],
    );
    return {
      action: 'payment.create',
      entityType: 'payment',
      entityId: rows[0]?.id as number,
      details: { receivedOn, amount: fields.amount },
    };
  });
}

export async function updatePayment(
  ctx: AppContext,
  customerId: number,
  projectId: number,
  paymentId: number,
  input: unknown,
): Promise<ProjectDetail> {
  const patch = parseOrThrow(updatePaymentSchema, input);
  return scheduleWrite(ctx, customerId, projectId, async (tx) => {
    await assertExists(tx, 'project_payments', customerId, projectId, paymentId, PAYMENT);
    if (patch.amount !== undefined)
      await assertPaymentFits(tx, customerId, projectId, patch.amount, paymentId);
    await tx.query(
      `UPDATE project_payments SET received_on = coalesce($4::date, received_on), amount = coalesce($5::numeric, amount),
         notes = CASE WHEN $6::boolean THEN $7 ELSE notes END
       WHERE customer_id = $1 AND project_id = $2 AND id = $3`,
      [
        customerId,
        projectId,
        paymentId,
        patch.receivedOn ?? null,
        patch.amount ?? null,
        patch.notes !== undefined,
        patch.notes ?? null,
      ],
    );
    return {
      action: 'payment.update',
      entityType: 'payment',
      entityId: paymentId,
      details: { changes: patch },
    };
  });
}

export async function deletePayment(
  ctx: AppContext,
  customerId: number,
  projectId: number,
  paymentId: number,
): Promise<ProjectDetail> {
  return scheduleWrite(ctx, customerId, projectId, async (tx) => {
    const before = await assertExists(tx, 'project_payments', customerId, projectId, paymentId, PAYMENT);
    await tx.query('DELETE FROM project_payments WHERE customer_id = $1 AND project_id = $2 AND id = $3', [
      customerId,
      projectId,
      paymentId,
    ]);
    return { action: 'payment.delete', entityType: 'payment', entityId: paymentId, details: before };
  });
}
