import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../../../test/api.js';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../../test/test-context.js';

let t: TestApp;
let api: ApiClient;
let rep: TestUser;
const code: Record<string, string> = {};
const id: Record<string, number> = {};

async function create(key: string, payload: object, user?: TestUser) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/customers',
    payload,
    ...(user ? { headers: user.headers } : {}),
  });
  expect(response.statusCode, response.body).toBe(201);
  code[key] = response.json().code;
  id[key] = response.json().id;
}

interface Group {
  level: string;
  members: { code: string; name: string; owner: string | null }[];
  matches: { kind: string; customers: string[]; viaContact?: string[]; key?: string; distance?: number }[];
}

const groupOf = (groups: Group[], key: string) =>
  groups.find((group) => group.members.some((member) => member.code === code[key]));
const codesOf = (group: Group | undefined) => group?.members.map((member) => member.code).sort();

beforeAll(async () => {
  t = await createTestApp();
  api = apiClient(t.app);
  rep = await addTestUser(t.ctx, 'rep', 'sales');
  // The same phone typed two ways.
  await create('phoneA', { name: '张三', phone: '13800138000' });
  await create('phoneB', { name: '张先生', phone: '+86 138-0013-8000' }, rep);
  // The same e-mail in another case (stored lower-case, compared by blind index).
  await create('mailA', { name: '李四', email: 'Li.Si@Example.cn' });
  await create('mailB', { name: '李老师', email: 'li.si@example.cn' });
  // A company whose contact has another customer's phone.
  await create('viaContact', { name: '宁波海曙贸易有限公司', type: 'enterprise' });
  await api.post(`/api/customers/${id.viaContact}/contacts`, { name: '王五', phone: '13912345678' });
  await create('ownPhone', { name: '王五', phone: '139 1234 5678' });
  // Company names: suffix variants, a homophone, a dropped character, and Latin typos.
  await create('starA', { name: '上海星辰科技有限公司', type: 'enterprise' });
  await create('starB', { name: '上海星辰科技', type: 'enterprise' });
  await create('starC', { name: '上海星辰科技（中国）有限公司', type: 'enterprise' });
  await create('starPinyin', { name: '上海星晨科技有限公司', type: 'enterprise' });
  await create('teaA', { name: '杭州西湖龙井茶叶有限公司', type: 'enterprise' });
  await create('teaB', { name: '杭州西湖龙井茶有限公司', type: 'enterprise' });
  await create('acmeA', { name: 'Acme Trading Co., Ltd.', type: 'enterprise' });
  await create('acmeB', { name: 'ACME Tradng Limited', type: 'enterprise' });
  await create('shortA', { name: '百度', type: 'enterprise' });
  await create('shortB', { name: '百度公司', type: 'enterprise' });
  // Not duplicates: one replaced character that reads differently; a common personal name.
  await create('foodA', { name: '杭州康耀餐饮连锁有限公司', type: 'enterprise' });
  await create('foodB', { name: '杭州启耀餐饮连锁有限公司', type: 'enterprise' });
  await create('weiA', { name: '王伟' });
  await create('weiB', { name: '王伟' });
});
afterAll(() => t.close());

describe('duplicate finder', () => {
  let groups: Group[];

  it('finds the same phone in any format, e-mail in any case, and through contacts: duplicates', async () => {
    const response = await api.get('/api/duplicates?limit=500');
    expect(response.status).toBe(200);
    groups = response.body.groups;
    expect(response.body.keysComputed).toBe(20);
    expect(groupOf(groups, 'phoneA')).toEqual({
      level: 'duplicate',
      members: [
        { id: id.phoneA, code: code.phoneA, name: '张三', type: 'individual', owner: 'admin' },
        { id: id.phoneB, code: code.phoneB, name: '张先生', type: 'individual', owner: 'rep' },
      ],
      matches: [{ kind: 'phone', customers: [code.phoneA, code.phoneB] }],
    });
    expect(groupOf(groups, 'mailA')).toMatchObject({
      level: 'duplicate',
      matches: [{ kind: 'email', customers: [code.mailA, code.mailB] }],
    });
    expect(groupOf(groups, 'ownPhone')).toMatchObject({
      level: 'duplicate',
      matches: [
        { kind: 'phone', customers: [code.viaContact, code.ownPhone], viaContact: [code.viaContact] },
      ],
    });
    expect(response.body.counts).toEqual({ duplicate: 3, possible: 4 });
    expect(groups.slice(0, 3).every((group) => group.level === 'duplicate')).toBe(true);
  });

  it('finds company names that differ in suffix or reading, or miss a character: possible duplicates', () => {
    const star = groupOf(groups, 'starA');
    expect(star?.level).toBe('possible');
    expect(codesOf(star)).toEqual([code.starA, code.starB, code.starC, code.starPinyin].sort());
    expect(star?.matches).toEqual(
      expect.arrayContaining([
        { kind: 'same_name', customers: [code.starA, code.starB, code.starC], key: '上海星辰科技' },
        {
          kind: 'same_pinyin',
          customers: [code.starA, code.starB, code.starC, code.starPinyin],
          key: 'shanghaixingchenkeji',
        },
      ]),
    );
    expect(groupOf(groups, 'teaA')?.matches).toEqual([
      { kind: 'similar_name', customers: [code.teaA, code.teaB], distance: 1 },
    ]);
    expect(groupOf(groups, 'acmeA')?.matches).toEqual([
      { kind: 'similar_name', customers: [code.acmeA, code.acmeB], distance: 1 },
    ]);
    expect(groupOf(groups, 'shortA')?.matches).toEqual([
      { kind: 'same_name', customers: [code.shortA, code.shortB], key: '百度' },
    ]);
    for (const alone of ['foodA', 'foodB', 'weiA', 'weiB'])
      expect(groupOf(groups, alone), alone).toBeUndefined();
  });

  it('filters by level and pages', async () => {
    const possible = await api.get('/api/duplicates?level=possible&limit=1&offset=1');
    expect(possible.body.total).toBe(4);
    expect(possible.body.groups).toHaveLength(1);
    expect(possible.body.groups[0].level).toBe('possible');
  });

  it('computes name keys again only for renamed customers', async () => {
    expect((await api.get('/api/duplicates')).body.keysComputed).toBe(0);
    const current = await api.get(`/api/customers/${id.foodB}`);
    await api.patch(`/api/customers/${id.foodB}`, {
      version: current.body.version,
      name: '杭州康耀餐饮连锁店有限公司',
    });
    const again = await api.get('/api/duplicates?level=possible&limit=500');
    expect(again.body.keysComputed).toBe(1);
    // 杭州康耀餐饮连锁店 is 杭州康耀餐饮连锁 with one character added.
    expect(groupOf(again.body.groups, 'foodA')?.matches).toEqual([
      { kind: 'similar_name', customers: [code.foodA, code.foodB], distance: 1 },
    ]);
  });

  it('stays within the data scope', async () => {
    await create('repTwin', { name: '张先生', phone: '13800138000' }, rep);
    const mine = await t.app.inject({ url: '/api/duplicates', headers: rep.headers });
    expect(mine.statusCode).toBe(200);
    const body = mine.json() as { groups: Group[]; counts: object };
    expect(body.counts).toEqual({ duplicate: 1, possible: 0 });
    expect(body.groups[0]?.members.map((member) => member.code)).toEqual([code.phoneB, code.repTwin]);
  });
});
