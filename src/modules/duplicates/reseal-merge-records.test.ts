import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/test-context.js';
import { createFieldKeyring } from '../../domain/security/field-crypto.js';
import type { AppContext } from '../../shared/context.js';
import { createCustomer } from '../customers/create-customer.js';
import { resealPersonalData } from '../customers/encrypt-personal-data.js';
import { listCustomers } from '../customers/list-customers.js';
import { mergeCustomers } from './merge-customers.js';
import { unmergeCustomers } from './unmerge-customers.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('merge records and key rotation', () => {
  it('re-encrypts the removed customers kept in a merge record, so an unmerge after a rotation reads them', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before: AppContext = { ...t.ctx, keyring: createFieldKeyring(oldKey) };
    const a = await createCustomer(before, { name: '厦门鹭岛贸易', phone: '13600000001' });
    const b = await createCustomer(before, {
      name: '厦门鹭岛贸易有限公司',
      phone: '13600000002',
      email: 'ludao@example.cn',
      wechat: 'ludao',
    });
    const merged = await mergeCustomers(before, { survivor: a.id, others: [b.id] });
    expect(merged.customer).toMatchObject({ phone: '+8613600000001', email: 'ludao@example.cn' });

    // clientele keys rotate: everything re-encrypted with the new key, then the old one forgotten.
    await resealPersonalData(
      { ...t.ctx, keyring: createFieldKeyring(newKey, [oldKey]) },
      { everything: true },
    );
    const after: AppContext = { ...t.ctx, keyring: createFieldKeyring(newKey) };
    const stored = await t.db.query<{ text: string }>('SELECT removed::text AS text FROM customer_merges');
    expect(stored.rows[0]?.text).not.toContain(createFieldKeyring(oldKey).currentKeyId);

    const undone = await unmergeCustomers(after, merged.mergeId as number);
    expect(undone.changedSince).toEqual([]);
    expect(undone.restoredFields.sort()).toEqual(['email', 'wechat']);
    for (const [search, id] of [
      ['136 0000 0002', b.id],
      ['ludao@example.cn', b.id],
      ['13600000001', a.id],
    ] as const) {
      const page = await listCustomers(after, { search });
      expect(
        page.items.map((customer) => customer.id),
        search,
      ).toEqual([id]);
    }
    const restored = await t.db.query<{ phone: string; wechat: string }>(
      'SELECT phone, wechat FROM customers WHERE id = $1',
      [b.id],
    );
    expect(after.keyring.decrypt(restored.rows[0]?.phone as string)).toBe('+8613600000002');
    expect(after.keyring.decrypt(restored.rows[0]?.wechat as string)).toBe('ludao');
  });
});
