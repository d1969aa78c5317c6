import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectError } from '../../../test/api.js';
import { createTestApp, type TestApp } from '../../../test/test-context.js';

let clock = new Date('2024-03-15T10:00:00+08:00');
let t: TestApp;
let api: ApiClient;
beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  api = apiClient(t.app);
});
afterAll(() => t.close());

async function newCustomer(name: string): Promise<number> {
  const created = await api.post('/api/customers', { name, type: '企业' });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function addContact(customerId: number, payload: Record<string, unknown>) {
  const response = await api.post(`/api/customers/${customerId}/contacts`, payload);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function contactsOf(customerId: number) {
  const response = await api.get(`/api/customers/${customerId}/contacts`);
  expect(response.status).toBe(200);
  return response.body.items as { id: number; name: string; isPrimary: boolean }[];
}

async function contactCount(): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts');
  return rows[0]?.n ?? 0;
}

describe('contacts', () => {
  it('adds a contact with normalised fields and lists it', async () => {
    const customerId = await newCustomer('联系人公司');
    const contact = await addContact(customerId, {
      name: ' 李四 ',
      title: '采购经理',
      phone: '139-0013-9000',
      email: 'Li.Si@Corp.CN',
      wechat: 'lisi_wx',
      qq: '123456',
      address: '上海市浦东新区',
      notes: '周一联系',
    });
    expect(contact).toMatchObject({
      customerId,
      name: '李四',
      title: '采购经理',
      phone: '+8613900139000',
      email: 'li.si@corp.cn',
      wechat: 'lisi_wx',
      qq: '123456',
      address: '上海市浦东新区',
      isPrimary: false,
      notes: '周一联系',
      createdAt: '2024-03-15T02:00:00.000Z',
    });
    expect(await contactsOf(customerId)).toEqual([contact]);
  });

  it('updates a contact partially', async () => {
    const customerId = await newCustomer('更新联系人');
    const contact = await addContact(customerId, { name: '王五', title: '助理', phone: '13700137000' });
    clock = new Date('2024-03-16T10:00:00+08:00');
    const updated = await api.patch(`/api/customers/${customerId}/contacts/${contact.id}`, {
      title: '经理',
      phone: null,
    });
    clock = new Date('2024-03-15T10:00:00+08:00');
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: '王五',
      title: '经理',
      phone: null,
      createdAt: contact.createdAt,
      updatedAt: '2024-03-16T02:00:00.000Z',
    });
  });

  it('deletes a contact', async () => {
    const customerId = await newCustomer('删除联系人');
    const keep = await addContact(customerId, { name: '留下' });
    const gone = await addContact(customerId, { name: '删除' });
    expect((await api.del(`/api/customers/${customerId}/contacts/${gone.id}`)).status).toBe(204);
    expect((await contactsOf(customerId)).map((c) => c.id)).toEqual([keep.id]);
    expectError(await api.del(`/api/customers/${customerId}/contacts/${gone.id}`), 404, 'NOT_FOUND');
  });

  it('keeps at most one primary contact: a new primary clears the old one', async () => {
    const customerId = await newCustomer('主联系人');
    const first = await addContact(customerId, { name: '甲', isPrimary: true });
    const second = await addContact(customerId, { name: '乙' });
    expect((await contactsOf(customerId)).map((c) => [c.name, c.isPrimary])).toEqual([
      ['甲', true],
      ['乙', false],
    ]);

    const third = await addContact(customerId, { name: '丙', isPrimary: true });
    expect(third.isPrimary).toBe(true);
    expect((await contactsOf(customerId)).map((c) => [c.name, c.isPrimary])).toEqual([
      ['丙', true],
      ['甲', false],
      ['乙', false],
    ]);

    const promoted = await api.patch(`/api/customers/${customerId}/contacts/${second.id}`, {
      isPrimary: '是',
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.isPrimary).toBe(true);
    const listed = await contactsOf(customerId);
    expect(listed.filter((c) => c.isPrimary).map((c) => c.id)).toEqual([second.id]);
    expect(listed[0]?.id).toBe(second.id);
    expect(first.id).not.toBe(second.id);
  });

  it('lets a contact stop being primary', async () => {
    const customerId = await newCustomer('取消主联系人');
    const only = await addContact(customerId, { name: '唯一', isPrimary: true });
    const updated = await api.patch(`/api/customers/${customerId}/contacts/${only.id}`, { isPrimary: false });
    expect(updated.body.isPrimary).toBe(false);
  });

  it("does not touch another customer's primary contact", async () => {
    const a = await newCustomer('甲公司');
    const b = await newCustomer('乙公司');
    const primaryOfA = await addContact(a, { name: 'A主', isPrimary: true });
    await addContact(b, { name: 'B主', isPrimary: true });
    expect((await contactsOf(a)).find((c) => c.id === primaryOfA.id)?.isPrimary).toBe(true);
  });

  it("answers 404 for another customer's contact and changes nothing", async () => {
    const owner = await newCustomer('所有者');
    const stranger = await newCustomer('陌生人');
    const contact = await addContact(owner, { name: '私人联系人' });
    const url = `/api/customers/${stranger}/contacts/${contact.id}`;
    expectError(await api.patch(url, { name: '被改' }), 404, 'NOT_FOUND');
    expectError(await api.del(url), 404, 'NOT_FOUND');
    expect((await contactsOf(owner)).map((c) => c.name)).toEqual(['私人联系人']);
  });

  it('answers 404 for the contacts of a customer that does not exist', async () => {
    const before = await contactCount();
    expectError(await api.get('/api/customers/999999/contacts'), 404, 'NOT_FOUND');
    expectError(await api.post('/api/customers/999999/contacts', { name: '无主' }), 404, 'NOT_FOUND');
    expect(await contactCount()).toBe(before);
  });

  it('refuses invalid contacts, naming the fields, and writes nothing', async () => {
    const customerId = await newCustomer('校验联系人');
    const before = await contactCount();
    const response = await api.post(`/api/customers/${customerId}/contacts`, {
      title: '经理',
      phone: '12',
      email: 'not-an-email',
    });
    expectError(response, 400, 'VALIDATION_FAILED', ['name', 'phone', 'email']);
    expect(await contactCount()).toBe(before);
    const contact = await addContact(customerId, { name: '正常' });
    expectError(
      await api.patch(`/api/customers/${customerId}/contacts/${contact.id}`, { name: '' }),
      400,
      'VALIDATION_FAILED',
      ['name'],
    );
  });

  it('returns the contacts with the customer', async () => {
    const customerId = await newCustomer('带联系人');
    await addContact(customerId, { name: '甲' });
    await addContact(customerId, { name: '乙', isPrimary: true });
    const customer = await api.get(`/api/customers/${customerId}`);
    expect(customer.status).toBe(200);
    expect(customer.body.contacts?.map((c: { name: string }) => c.name)).toEqual(['乙', '甲']);
  });
});

describe('concurrent contact changes', () => {
  it('keeps every contact searchable when several are added at the same time', async () => {
    const customerId = await newCustomer('并发联系人');
    const names = ['欧阳锋', '黄药师', '洪七公', '段智兴', '王重阳', '周伯通'];
    const responses = await Promise.all(
      names.map((name) => api.post(`/api/customers/${customerId}/contacts`, { name })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(names.length).fill(201));
    for (const name of names) {
      const found = await api.get(`/api/customers?search=${encodeURIComponent(name)}`);
      expect(
        found.body.items.map((item: { id: number }) => item.id),
        name,
      ).toEqual([customerId]);
    }
  });

  it('ends with exactly one primary contact when several are made primary at the same time', async () => {
    const customerId = await newCustomer('并发主联系人');
    const responses = await Promise.all(
      ['一', '二', '三', '四', '五'].map((name) =>
        api.post(`/api/customers/${customerId}/contacts`, { name, isPrimary: true }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    expect((await contactsOf(customerId)).filter((contact) => contact.isPrimary)).toHaveLength(1);
  });
});
