import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../../../test/api.js';
import { createTestApp, type TestApp } from '../../../test/test-context.js';

let t: TestApp;
let api: ApiClient;
const ids = new Map<string, number>();

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2024-03-15T10:00:00+08:00') });
  api = apiClient(t.app);
  const customers = [
    { name: '张三', phone: '138 0013 8000', email: 'ZS.Work@Example.com', company: '深圳华为技术有限公司' },
    { name: '张伟', phone: '13900139000', email: 'zw@corp.cn' },
    { name: '王五', phone: '010-6552 9988' },
    { name: '某某贸易', type: '企业', company: '某某贸易有限公司' },
    { name: '100%纯棉' },
    { name: 'a_b' },
    { name: 'axb' },
  ];
  for (const customer of customers) {
    const created = await api.post('/api/customers', customer);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids.set(customer.name, created.body.id);
  }
});
afterAll(() => t.close());

async function search(text: string, extra = ''): Promise<string[]> {
  const response = await api.get(`/api/customers?search=${encodeURIComponent(text)}${extra}&limit=500`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.total).toBe(response.body.items.length);
  return (response.body.items as { name: string }[]).map((item) => item.name).sort();
}

async function version(name: string): Promise<number> {
  return (await api.get(`/api/customers/${ids.get(name)}`)).body.version;
}

describe('searching customers', () => {
  it.each(['zhangsan', 'zs', '张三', 'zhang san', 'ZhangSan', '张 三'])('finds 张三 by %s', async (text) => {
    expect(await search(text)).toEqual(['张三']);
  });

  it('finds both 张三 and 张伟 by 张 and by zhang', async () => {
    expect(await search('张')).toEqual(['张三', '张伟']);
    expect(await search('zhang')).toEqual(['张三', '张伟']);
  });

  it.each(['138 0013 8000', '138-0013-8000', '+86 138 0013 8000', '+8613800138000', '13800138000'])(
    'finds 张三 by the phone %s',
    async (text) => {
      expect(await search(text)).toEqual(['张三']);
    },
  );

  it('does not find a phone by part of its digits: phones are stored encrypted', async () => {
    expect(await search('0013800')).toEqual([]);
  });

  it.each(['010-6552 9988', '(010) 65529988', '+86 10 6552 9988'])(
    'finds 王五 by the landline %s',
    async (text) => {
      expect(await search(text)).toEqual(['王五']);
    },
  );

  it.each(['zs.work@example.com', 'ZS.WORK@EXAMPLE.COM'])(
    'finds 张三 by the whole e-mail %s',
    async (text) => {
      expect(await search(text)).toEqual(['张三']);
    },
  );

  it.each(['华为', '华为技术', 'huawei'])('finds 张三 by the company %s', async (text) => {
    expect(await search(text)).toEqual(['张三']);
  });

  it('finds an enterprise by its company name', async () => {
    expect(await search('贸易有限')).toEqual(['某某贸易']);
  });

  it('treats % and _ as plain characters', async () => {
    expect(await search('0%纯')).toEqual(['100%纯棉']);
    expect(await search('%')).toEqual(['100%纯棉']);
    expect(await search('a_b')).toEqual(['a_b']);
    expect(await search('_')).toEqual(['a_b']);
  });

  it('finds nothing for text no customer has', async () => {
    expect(await search('lisi')).toEqual([]);
    expect(await search('99999999')).toEqual([]);
  });

  it('lists everyone for a blank search', async () => {
    expect(await search('   ')).toHaveLength(7);
  });

  it('combines search with filters', async () => {
    expect(await search('zhang', '&type=enterprise')).toEqual([]);
    expect(await search('zhang', '&type=individual')).toEqual(['张三', '张伟']);
  });

  it('pages through search results', async () => {
    const first = await api.get(`/api/customers?search=${encodeURIComponent('张')}&sort=name&limit=1`);
    expect(first.body.total).toBe(2);
    const second = await api.get(
      `/api/customers?search=${encodeURIComponent('张')}&sort=name&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect([first.body.items[0].name, second.body.items[0].name].sort()).toEqual(['张三', '张伟']);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('search after changes', () => {
  it("finds a customer by a contact's name and phone, and no longer after the contact is deleted", async () => {
    const id = ids.get('某某贸易') as number;
    expect(await search('李四')).toEqual([]);
    const contact = await api.post(`/api/customers/${id}/contacts`, {
      name: '李四',
      phone: '137 0013 7000',
      email: 'li.si@maoyi.cn',
    });
    expect(contact.status).toBe(201);
    expect(await search('李四')).toEqual(['某某贸易']);
    expect(await search('lisi')).toEqual(['某某贸易']);
    expect(await search('ls')).toEqual(['某某贸易']);
    expect(await search('137-0013-7000')).toEqual(['某某贸易']);
    expect(await search('li.si@maoyi.cn')).toEqual(['某某贸易']);

    const renamed = await api.patch(`/api/customers/${id}/contacts/${contact.body.id}`, { name: '赵云' });
    expect(renamed.status).toBe(200);
    expect(await search('李四')).toEqual([]);
    expect(await search('zhaoyun')).toEqual(['某某贸易']);

    expect((await api.del(`/api/customers/${id}/contacts/${contact.body.id}`)).status).toBe(204);
    expect(await search('zhaoyun')).toEqual([]);
    expect(await search('13700137000')).toEqual([]);
    expect(await search('某某')).toEqual(['某某贸易']);
  });

  it('finds a customer by the new name after PATCH, not by the old one', async () => {
    const id = ids.get('王五') as number;
    const updated = await api.patch(`/api/customers/${id}`, {
      version: await version('王五'),
      name: '王大锤',
    });
    expect(updated.status).toBe(200);
    expect(await search('wangdachui')).toEqual(['王大锤']);
    expect(await search('wdc')).toEqual(['王大锤']);
    expect(await search('wangwu')).toEqual([]);
    expect(await search('010-6552 9988')).toEqual(['王大锤']);
  });

  it('finds a customer by the new phone and e-mail after PATCH, not by the old ones', async () => {
    const id = ids.get('张伟') as number;
    const updated = await api.patch(`/api/customers/${id}`, {
      version: await version('张伟'),
      phone: '186 0000 1111',
      email: 'zhangwei@newco.cn',
    });
    expect(updated.status).toBe(200);
    expect(await search('18600001111')).toEqual(['张伟']);
    expect(await search('13900139000')).toEqual([]);
    expect(await search('zhangwei@newco.cn')).toEqual(['张伟']);
    expect(await search('zw@corp.cn')).toEqual([]);
  });

  it('stops finding a customer by a phone that was cleared', async () => {
    const id = ids.get('张三') as number;
    const updated = await api.patch(`/api/customers/${id}`, { version: await version('张三'), phone: null });
    expect(updated.status).toBe(200);
    expect(await search('138 0013 8000')).toEqual([]);
    expect(await search('zhangsan')).toEqual(['张三']);
  });
});
