import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectBilingual, expectError } from '../../../test/api.js';
import { clientAs, expectOk } from '../../../test/records.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';
import { refreshOverdueCredit } from './overdue-credit.js';

let t: TestApp;
let api: ApiClient;
let sales: TestUser;
// Today is 2024-03-15 in China.
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00') });
  api = apiClient(t.app);
  sales = await addTestUser(t.ctx, 'sales-proj', 'sales');
});
afterAll(() => t.close());

async function newCustomer(name: string, extra: object = {}): Promise<{ id: number; code: string }> {
  return expectOk(await api.post('/api/customers', { name, ...extra }), 201);
}

async function credit(customerId: number): Promise<string | null> {
  return expectOk(await api.get(`/api/customers/${customerId}`)).creditStatus;
}

async function paymentCount(customerId: number): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM project_payments WHERE customer_id = $1',
    [customerId],
  );
  return rows[0]?.n ?? 0;
}

const schedule = [
  { dueOn: '2024-03-10', amount: '3000', label: '首付款' },
  { dueOn: '2024-04-10', amount: '4000.50', label: '中期款' },
  { dueOn: '2024-06-30', amount: '2999.50', label: '尾款' },
];

describe('projects and payment progress', () => {
  it('creates a contract with its schedule and reports exact progress', async () => {
    const { id } = await newCustomer('项目客户');
    const project = expectOk(
      await api.post(`/api/customers/${id}/projects`, {
        name: 'ERP 实施',
        type: '软件实施',
        startsOn: '2024/3/1',
        endsOn: '2024-06-30',
        status: '进行中',
        contractAmount: '12,000.00',
        instalments: schedule,
      }),
      201,
    );
    expect(project).toMatchObject({
      name: 'ERP 实施',
      type: '软件实施',
      startsOn: '2024-03-01',
      status: 'active',
      contractAmount: '12000.00',
      progress: {
        contract: '12000.00',
        scheduled: '10000.00',
        received: '0.00',
        outstanding: '12000.00',
        overdue: '3000.00',
        nextDue: { dueOn: '2024-04-10', amount: '4000.50' },
      },
      customerCreditStatus: 'overdue',
    });
    expect(project.instalments.map((row: { state: string }) => row.state)).toEqual(['overdue', 'due', 'due']);

    const paid = expectOk(
      await api.post(`/api/customers/${id}/projects/${project.id}/payments`, {
        receivedOn: '2024-03-12',
        amount: '5000',
        notes: '银行转账',
      }),
      201,
    );
    expect(paid.progress).toEqual({
      contract: '12000.00',
      scheduled: '10000.00',
      received: '5000.00',
      outstanding: '7000.00',
      overdue: '0.00',
      nextDue: { instalmentId: project.instalments[1].id, dueOn: '2024-04-10', amount: '2000.50' },
    });
    expect(paid.instalments.map((row: { state: string; paid: string }) => [row.state, row.paid])).toEqual([
      ['paid', '3000.00'],
      ['partly_paid', '2000.00'],
      ['due', '0.00'],
    ]);
    expect(paid.customerCreditStatus).toBe('good');
    expect(await credit(id)).toBe('good');
    const list = expectOk(await api.get(`/api/customers/${id}/projects`));
    expect(list.items).toHaveLength(1);
    expect(list.items[0].progress.received).toBe('5000.00');
    expect(list.items[0].instalments).toBeUndefined();
  });

  it('refuses a payment larger than what is still due, in both languages, writing nothing', async () => {
    const { id } = await newCustomer('超额回款');
    const project = expectOk(
      await api.post(`/api/customers/${id}/projects`, { name: '年度服务', contractAmount: '1000' }),
      201,
    );
    const url = `/api/customers/${id}/projects/${project.id}/payments`;
    expectOk(await api.post(url, { amount: '600', receivedOn: '2024-03-01' }), 201);
    const auditBefore = (await t.db.query('SELECT id FROM audit_log')).rows.length;
    const refused = await api.post(url, { amount: '400.01' });
    const details = expectError(refused, 400, 'VALIDATION_FAILED', ['amount']);
    expect(refused.body.error.message).toBe(
      '回款金额 400.01 超过尚未支付的 400.00 / The payment of 400.01 is more than the 400.00 still due',
    );
    expect(details[0]?.message).toContain('400.00');
    expect(await paymentCount(id)).toBe(1);
    expect((await t.db.query('SELECT id FROM audit_log')).rows.length).toBe(auditBefore);
    const settled = expectOk(await api.post(url, { amount: '400' }), 201);
    expect(settled.progress).toMatchObject({ received: '1000.00', outstanding: '0.00' });
    expectError(await api.post(url, { amount: '0.01' }), 400, 'VALIDATION_FAILED', ['amount']);
    // Correcting a payment may use what it already covered.
    const first = settled.payments[0].id;
    expectOk(await api.patch(`${url}/${first}`, { amount: '600.00' }));
    expectError(await api.patch(`${url}/${first}`, { amount: '600.01' }), 400, 'VALIDATION_FAILED', [
      'amount',
    ]);
  });

  it('without a contract amount, what is due is the schedule', async () => {
    const { id } = await newCustomer('无合同金额');
    const project = expectOk(
      await api.post(`/api/customers/${id}/projects`, {
        name: '零星采购',
        instalments: [{ dueOn: '2024-05-01', amount: '100' }],
      }),
      201,
    );
    expect(project.progress).toMatchObject({ contract: null, scheduled: '100.00', outstanding: '100.00' });
    const url = `/api/customers/${id}/projects/${project.id}`;
    expectError(await api.post(`${url}/payments`, { amount: '100.50' }), 400, 'VALIDATION_FAILED', [
      'amount',
    ]);
    expectOk(await api.post(`${url}/payments`, { amount: '100' }), 201);
    // The schedule may not shrink below what was received.
    expectError(
      await api.patch(`${url}/instalments/${project.instalments[0].id}`, { amount: '50' }),
      400,
      'VALIDATION_FAILED',
      ['amount'],
    );
    expectError(await api.del(`${url}/instalments/${project.instalments[0].id}`), 400, 'VALIDATION_FAILED', [
      'instalmentId',
    ]);
    const nothingDue = expectOk(await api.post(`/api/customers/${id}/projects`, { name: '空项目' }), 201);
    const none = await api.post(`/api/customers/${id}/projects/${nothingDue.id}/payments`, { amount: '1' });
    expectError(none, 400, 'VALIDATION_FAILED', ['amount']);
  });

  it('keeps the schedule within the contract and the contract above what was received', async () => {
    const { id } = await newCustomer('合同校验');
    const before = (await t.db.query('SELECT id FROM projects WHERE customer_id = $1', [id])).rows.length;
    const over = await api.post(`/api/customers/${id}/projects`, {
      name: '超计划',
      contractAmount: '100',
      instalments: [
        { dueOn: '2024-04-01', amount: '60' },
        { dueOn: '2024-05-01', amount: '60' },
      ],
    });
    expectError(over, 400, 'VALIDATION_FAILED', ['instalments']);
    expectBilingual(over.body.error.message);
    expect((await t.db.query('SELECT id FROM projects WHERE customer_id = $1', [id])).rows.length).toBe(
      before,
    );

    const project = expectOk(
      await api.post(`/api/customers/${id}/projects`, { name: '合同', contractAmount: '100' }),
      201,
    );
    const url = `/api/customers/${id}/projects/${project.id}`;
    expectOk(await api.post(`${url}/instalments`, { dueOn: '2024-04-01', amount: '70' }), 201);
    expectError(
      await api.post(`${url}/instalments`, { dueOn: '2024-05-01', amount: '30.01' }),
      400,
      'VALIDATION_FAILED',
      ['amount'],
    );
    expectOk(await api.post(`${url}/payments`, { amount: '80' }), 201);
    expectError(await api.patch(url, { contractAmount: '79.99' }), 400, 'VALIDATION_FAILED', [
      'contractAmount',
    ]);
    expectError(await api.patch(url, { contractAmount: '69' }), 400, 'VALIDATION_FAILED', ['contractAmount']);
    expect(
      expectOk(await api.patch(url, { contractAmount: '80', status: 'completed', outcome: '按期交付' })),
    ).toMatchObject({
      contractAmount: '80.00',
      status: 'completed',
      outcome: '按期交付',
      progress: { outstanding: '0.00' },
    });
  });

  it.each([
    [{ name: '' }, ['name']],
    [{ startsOn: '2024-05-01', endsOn: '2024-04-01' }, ['endsOn']],
    [{ startsOn: '2024-02-30' }, ['startsOn']],
    [{ contractAmount: '-1' }, ['contractAmount']],
    [{ contractAmount: '1.001' }, ['contractAmount']],
    [{ status: 'paused' }, ['status']],
    [
      { instalments: [{ dueOn: '2024-13-01', amount: '0' }] },
      ['instalments.0.dueOn', 'instalments.0.amount'],
    ],
  ])('refuses the project %j', async (change, fields) => {
    const { id } = await newCustomer('无效项目');
    expectError(
      await api.post(`/api/customers/${id}/projects`, { name: '项目', ...change }),
      400,
      'VALIDATION_FAILED',
      fields,
    );
  });

  it.each([
    [{ amount: '0' }, ['amount']],
    [{ amount: '-5' }, ['amount']],
    [{ amount: 'abc' }, ['amount']],
    [{ amount: '5', receivedOn: 'yesterday' }, ['receivedOn']],
  ])('refuses the payment %j', async (payload, fields) => {
    const { id } = await newCustomer('无效回款');
    const project = expectOk(
      await api.post(`/api/customers/${id}/projects`, { name: 'p', contractAmount: '10' }),
      201,
    );
    expectError(
      await api.post(`/api/customers/${id}/projects/${project.id}/payments`, payload),
      400,
      'VALIDATION_FAILED',
      fields,
    );
    expect(await paymentCount(id)).toBe(0);
  });

  it('accepts only what fits when payments arrive at the same time', async () => {
    const { id } = await newCustomer('并发回款');
    const project = expectOk(
      await api.post(`/api/customers/${id}/projects`, { name: 'p', contractAmount: '100' }),
      201,
    );
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        api.post(`/api/customers/${id}/projects/${project.id}/payments`, {
          amount: '30',
          receivedOn: '2024-03-01',
        }),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([201, 201, 201, 400, 400]);
    const detail = expectOk(await api.get(`/api/customers/${id}/projects/${project.id}`));
    expect(detail.progress).toMatchObject({ received: '90.00', outstanding: '10.00' });
  });

  it('answers 404 for projects, instalments and payments that do not exist', async () => {
    const { id } = await newCustomer('不存在');
    expectError(await api.get(`/api/customers/${id}/projects/999999`), 404, 'NOT_FOUND');
    expectError(
      await api.post(`/api/customers/${id}/projects/999999/payments`, { amount: '1' }),
      404,
      'NOT_FOUND',
    );
    const project = expectOk(await api.post(`/api/customers/${id}/projects`, { name: 'p' }), 201);
    expectError(
      await api.del(`/api/customers/${id}/projects/${project.id}/payments/999999`),
      404,
      'NOT_FOUND',
    );
    expectError(
      await api.patch(`/api/customers/${id}/projects/${project.id}/instalments/999999`, { amount: '1' }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('overdue instalments and the credit status', () => {
  it('marks the customer overdue and back to good when settled, with audit entries', async () => {
    const { id } = await newCustomer('逾期客户', { creditStatus: 'good' });
    const project = expectOk(
      await api.post(`/api/customers/${id}/projects`, {
        name: '设备采购',
        instalments: [
          { dueOn: '2024-03-01', amount: '500' },
          { dueOn: '2024-03-10', amount: '500' },
        ],
      }),
      201,
    );
    expect(await credit(id)).toBe('overdue');
    const url = `/api/customers/${id}/projects/${project.id}/payments`;
    // Payments settle in due-date order: 500 covers the first instalment only.
    expect(expectOk(await api.post(url, { amount: '500' }), 201).customerCreditStatus).toBe('overdue');
    const second = expectOk(await api.post(url, { amount: '500' }), 201);
    expect(second.customerCreditStatus).toBe('good');
    // Removing a payment makes it overdue again.
    expect(expectOk(await api.del(`${url}/${second.payments[1].id}`)).customerCreditStatus).toBe('overdue');
    const { rows } = await t.db.query<{ details: { from: string | null; to: string; reason: string } }>(
      "SELECT details FROM audit_log WHERE customer_id = $1 AND action = 'customer.credit_status' ORDER BY id",
      [id],
    );
    expect(rows.map((row) => [row.details.from, row.details.to, row.details.reason])).toEqual([
      ['good', 'overdue', 'instalment_overdue'],
      ['overdue', 'good', 'instalments_settled'],
      ['good', 'overdue', 'instalment_overdue'],
    ]);
  });

  it('leaves a credit status set by hand alone', async () => {
    const manual = await newCustomer('人工逾期', { creditStatus: 'overdue' });
    const project = expectOk(
      await api.post(`/api/customers/${manual.id}/projects`, {
        name: 'p',
        instalments: [{ dueOn: '2024-03-01', amount: '10' }],
      }),
      201,
    );
    expectOk(
      await api.post(`/api/customers/${manual.id}/projects/${project.id}/payments`, { amount: '10' }),
      201,
    );
    expect(await credit(manual.id)).toBe('overdue');

    const takenOver = await newCustomer('改为关注');
    const p2 = expectOk(
      await api.post(`/api/customers/${takenOver.id}/projects`, {
        name: 'p',
        instalments: [{ dueOn: '2024-03-01', amount: '10' }],
      }),
      201,
    );
    expect(await credit(takenOver.id)).toBe('overdue');
    const { version } = expectOk(await api.get(`/api/customers/${takenOver.id}`));
    expectOk(await api.patch(`/api/customers/${takenOver.id}`, { creditStatus: 'watch', version }));
    expectOk(
      await api.post(`/api/customers/${takenOver.id}/projects/${p2.id}/payments`, { amount: '10' }),
      201,
    );
    expect(await credit(takenOver.id)).toBe('watch');
  });

  it('does not count cancelled projects, nor instalments due today or later', async () => {
    const { id } = await newCustomer('取消项目');
    const project = expectOk(
      await api.post(`/api/customers/${id}/projects`, {
        name: 'p',
        instalments: [
          { dueOn: '2024-03-15', amount: '10' },
          { dueOn: '2024-03-14', amount: '10' },
        ],
      }),
      201,
    );
    expect(await credit(id)).toBe('overdue');
    expect(
      expectOk(await api.patch(`/api/customers/${id}/projects/${project.id}`, { status: 'cancelled' }))
        .customerCreditStatus,
    ).toBe('good');
    expectOk(await api.patch(`/api/customers/${id}/projects/${project.id}`, { status: 'active' }));
    expect(await credit(id)).toBe('overdue');
    const detail = expectOk(await api.get(`/api/customers/${id}/projects/${project.id}`));
    const today = detail.instalments.find((row: { dueOn: string }) => row.dueOn === '2024-03-15');
    expectOk(
      await api.del(
        `/api/customers/${id}/projects/${project.id}/instalments/${detail.instalments.find((row: { dueOn: string }) => row.dueOn === '2024-03-14').id}`,
      ),
    );
    expect(today.state).toBe('due');
    expect(await credit(id)).toBe('good');
    expect((await api.del(`/api/customers/${id}/projects/${project.id}`)).status).toBe(204);
  });

  it('refreshOverdueCredit marks what the calendar made overdue and restores what was settled', async () => {
    const later = await newCustomer('日终逾期');
    const project = expectOk(
      await api.post(`/api/customers/${later.id}/projects`, {
        name: 'p',
        instalments: [{ dueOn: '2024-03-20', amount: '10' }],
      }),
      201,
    );
    expect(await credit(later.id)).toBeNull();
    const report = await refreshOverdueCredit(t.ctx, '2024-03-21');
    expect(report.date).toBe('2024-03-21');
    expect(report.overdue).toContain(later.code);
    expect(await credit(later.id)).toBe('overdue');
    const again = await refreshOverdueCredit(t.ctx, '2024-03-21');
    expect(again.overdue).not.toContain(later.code);
    await t.db.query(
      'INSERT INTO project_payments (customer_id, project_id, received_on, amount, created_by) VALUES ($1, $2, $3, 10, $4)',
      [later.id, project.id, '2024-03-22', 'test'],
    );
    expect((await refreshOverdueCredit(t.ctx, '2024-03-22')).restored).toContain(later.code);
    expect(await credit(later.id)).toBe('good');
    await expect(refreshOverdueCredit(t.ctx, '2024-02-30')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('is refreshed over HTTP by administrators only', async () => {
    expectError(await clientAs(t.app, sales).post('/api/projects/refresh-credit', {}), 403, 'FORBIDDEN');
    expect(expectOk(await api.post('/api/projects/refresh-credit', { date: '2024-03-15' }))).toMatchObject({
      date: '2024-03-15',
    });
  });
});

describe('data scope', () => {
  it("hides other reps' projects and lets owners manage their own", async () => {
    const asSales = clientAs(t.app, sales);
    const mine = await newCustomer('本人项目', { owner: 'sales-proj' });
    const theirs = await newCustomer('他人项目');
    const project = expectOk(
      await asSales.post(`/api/customers/${mine.id}/projects`, { name: 'p', contractAmount: '5' }),
      201,
    );
    expectOk(
      await asSales.post(`/api/customers/${mine.id}/projects/${project.id}/payments`, { amount: '5' }),
      201,
    );
    expectError(await asSales.get(`/api/customers/${theirs.id}/projects`), 404, 'NOT_FOUND');
    expectError(await asSales.post(`/api/customers/${theirs.id}/projects`, { name: 'x' }), 404, 'NOT_FOUND');
  });
});
