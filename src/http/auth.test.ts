import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTestUser,
  createTestApp,
  TEST_PASSWORD,
  type TestApp,
  type TestUser,
} from '../../test/test-context.js';
import { roleSpecs, roles } from '../domain/security/roles.js';
import { verifyAuditLog } from '../modules/audit/audit-log.js';

let t: TestApp;
let clock = new Date('2024-05-01T09:00:00+08:00');
const users = new Map<string, TestUser>();

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  for (const role of roles) users.set(role, await addTestUser(t.ctx, `${role}1`, role));
});
afterAll(() => t.close());

const anonymous = { authorization: '' };

async function login(username: string, password = TEST_PASSWORD, ip = '10.0.0.1') {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { ...anonymous },
    remoteAddress: ip,
    payload: { username, password },
  });
}

function sessionCookie(response: Awaited<ReturnType<typeof login>>): string {
  const cookie = response.cookies.find((c) => c.name === 'clientele_session');
  if (!cookie) throw new Error('no session cookie');
  return `clientele_session=${cookie.value}`;
}

describe('route permissions', () => {
  it('every /api route declares a permission', () => {
    const apiRoutes = t.app.routeTable.filter((route) => route.url.startsWith('/api'));
    expect(apiRoutes.length).toBeGreaterThan(25);
    const undeclared = apiRoutes
      .filter((route) => route.permission === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('answers the health check without login and everything else with 401', async () => {
    expect((await t.app.inject({ url: '/api/health', headers: anonymous })).statusCode).toBe(200);
    const response = await t.app.inject({ url: '/api/customers', headers: anonymous });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('matches the role matrix on representative routes', async () => {
    const cases: [string, string, string, object | undefined][] = [
      ['customers.read', 'GET', '/api/customers', undefined],
      ['customers.write', 'POST', '/api/customers', { name: '矩阵测试' }],
      [
        'custom-fields.manage',
        'POST',
        '/api/custom-fields',
        { key: 'bad key', type: 'text', labelZh: 'x', labelEn: 'x' },
      ],
      ['settings.manage', 'PUT', '/api/settings/customer-number', { pattern: 'KH{YYYY}{SEQ:5}' }],
      ['users.manage', 'GET', '/api/users', undefined],
      ['audit.read', 'GET', '/api/audit', undefined],
      ['tokens.manage', 'GET', '/api/tokens', undefined],
      ['tiers.read', 'GET', '/api/tiers/schemes', undefined],
      ['tiers.manage', 'POST', '/api/tiers/schemes', { preset: 'no-such-preset' }],
    ];
    for (const role of roles) {
      const user = users.get(role) as TestUser;
      for (const [permission, method, url, payload] of cases) {
        const response = await t.app.inject({ method: method as 'GET', url, headers: user.headers, payload });
        const allowed = (roleSpecs[role].permissions as readonly string[]).includes(permission);
        expect({ role, permission, forbidden: response.statusCode === 403 }).toEqual({
          role,
          permission,
          forbidden: !allowed,
        });
      }
    }
  });
});

describe('sessions', () => {
  it('logs in with an HttpOnly SameSite cookie, needs the CSRF token for writes, and logs out', async () => {
    const response = await login('sales1');
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'clientele_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const { csrfToken } = response.json();
    const headers = { cookie: sessionCookie(response) };
    const me = await t.app.inject({ url: '/api/auth/me', headers });
    expect(me.json()).toMatchObject({ username: 'sales1', role: 'sales', scope: 'own', csrfToken });

    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers,
      payload: { name: '无令牌' },
    });
    expect(noCsrf.statusCode).toBe(403);
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { ...headers, 'x-csrf-token': csrfToken },
      payload: { name: '有令牌' },
    });
    expect(withCsrf.statusCode).toBe(201);

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { ...headers, 'x-csrf-token': csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers })).statusCode).toBe(401);
  });

  it('expires a session after two idle hours', async () => {
    const headers = { cookie: sessionCookie(await login('service1')) };
    expect((await t.app.inject({ url: '/api/auth/me', headers })).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 2 * 3600_000 + 1000);
    expect((await t.app.inject({ url: '/api/auth/me', headers })).statusCode).toBe(401);
  });

  it('gives one message for unknown users and wrong passwords, and locks after five failures', async () => {
    const unknown = await login('nobody', 'whatever password', '10.0.1.1');
    const wrong = await login('analyst1', 'wrong password!', '10.0.1.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    for (let i = 0; i < 4; i++) await login('analyst1', 'wrong password!', `10.0.2.${i}`);
    const locked = await login('analyst1', TEST_PASSWORD, '10.0.3.1');
    expect(locked.statusCode).toBe(423);
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect((await login('analyst1', TEST_PASSWORD, '10.0.3.2')).statusCode).toBe(200);
  });

  it('throttles repeated login attempts from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await login('marketing1', 'wrong password!', '10.9.9.9')).statusCode);
    expect(statuses).toContain(429);
  });

  it('records logins and failures in a verifiable audit trail', async () => {
    const { rows } = await t.db.query<{ action: string; n: number }>(
      "SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'auth.%' GROUP BY action",
    );
    const counts = Object.fromEntries(rows.map((row) => [row.action, row.n]));
    expect(counts['auth.login']).toBeGreaterThan(0);
    expect(counts['auth.login_failed']).toBeGreaterThan(0);
    expect(await verifyAuditLog(t.db)).toMatchObject({ ok: true });
  });
});

describe('API tokens', () => {
  it('is shown once, stored hashed, and stops working when revoked', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'erp', role: 'analyst' },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    const { rows } = await t.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM api_tokens WHERE id = $1',
      [id],
    );
    expect(rows[0]?.token_hash).not.toContain(token);
    const headers = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ url: '/api/customers', headers })).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/customers', headers, payload: { name: 'x' } }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ url: '/api/tokens' }))
        .json()
        .items.some((item: { token?: string }) => 'token' in item),
    ).toBe(false);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/customers', headers })).statusCode).toBe(401);
  });
});

describe('security headers', () => {
  it('sends a content security policy and the usual headers', async () => {
    const response = await t.app.inject({ url: '/api/health', headers: anonymous });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBeDefined();
  });
});
