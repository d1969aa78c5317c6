/**
 * The embedded database has one connection: a use case that works out a team's scope outside its
 * own open transaction would wait for that transaction forever. These writes by a team manager
 * must complete — through HTTP, and called directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestUser, createTestApp, type TestApp, type TestUser } from '../../test/test-context.js';
import { addTeam } from '../modules/access/users.js';
import { overrideTier } from '../modules/tiers/assignments.js';

let t: TestApp;
let manager: TestUser;
let rep: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  await addTeam(t.ctx, { name: '华东' });
  manager = await addTestUser(t.ctx, 'mgr', 'manager', '华东');
  rep = await addTestUser(t.ctx, 'rep', 'sales', '华东');
  await t.app.inject({ method: 'POST', url: '/api/tiers/schemes', payload: { preset: 'hotel' } });
});
afterAll(() => t.close());

describe('writes by a team manager', () => {
  it('complete over HTTP and when a use case is called directly', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      payload: { name: '甲', ownerId: rep.id },
    });
    const id = created.json().id as number;
    const overridden = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${id}/tiers/hotel/override`,
      headers: manager.headers,
      payload: { tier: 'vip', reason: '重点' },
    });
    expect(overridden.statusCode).toBe(200);
    const updated = await t.app.inject({
      method: 'PATCH',
      url: `/api/customers/${id}`,
      headers: manager.headers,
      payload: { city: '杭州', version: 1 },
    });
    expect(updated.statusCode).toBe(200);
    const direct = await overrideTier({ ...t.ctx, actor: manager.actor }, id, {
      scheme: 'hotel',
      tier: 'new',
      reason: '复核',
    });
    expect(direct.tier).toBe('new');
  }, 60_000);
});
