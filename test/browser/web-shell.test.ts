import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { bulkInsertCustomers } from '../../src/modules/customers/bulk-insert-customers.js';
import { COUNT_CAP } from '../../src/modules/customers/list-customers.js';
import { webDistDir } from '../../src/shared/paths.js';
import { addTestUser, createTestContext, TEST_PASSWORD, type TestContext } from '../test-context.js';

const CHROMIUM = '/usr/bin/chromium';
/** A loaded CI machine answers slower than the one-second default of expect.poll. */
const POLL = { timeout: 20_000 };
const hasBrowser = fs.existsSync(CHROMIUM);

/** A whole user journey in Debian's Chromium against the real server with its own seeded data. */
describe.skipIf(!hasBrowser)('web shell in a browser', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;

  const pathname = () => new URL(page.url()).pathname;

  /** Fills the login page and submits it; the caller waits for what should follow. */
  async function submitLogin(username: string, password = TEST_PASSWORD) {
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }

  async function logOut() {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-submit').waitFor();
    expect(pathname()).toBe('/login');
    // The server ended the session, not just the page.
    expect((await page.request.get(`${base}/api/auth/me`)).status()).toBe(401);
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDistDir(), 'index.html'))) {
      throw new Error('dist/web is missing: run npm run build before the browser tests');
    }
    t = await createTestContext();
    await addTestUser(t.ctx, 'admin', 'admin');
    await addTestUser(t.ctx, 'ana', 'analyst');
    app = await buildApp(t.ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ locale: 'zh-CN' });

    // Without a session every page leads to the login page, which then returns to it.
    await page.goto(`${base}/customers`);
    await page.getByTestId('login-submit').waitFor();
    expect(pathname()).toBe('/login');
    await submitLogin('admin');
    await page.getByTestId('current-user').waitFor();
    expect(pathname()).toBe('/customers');
    expect(await page.getByTestId('current-user').textContent()).toBe('admin');
    expect(await page.getByTestId('current-role').textContent()).toBe('管理员');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'clientele_session')?.httpOnly).toBe(true);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await t?.close();
  });

  it('loads demo data from the empty list, searches by name, opens a customer, switches to English', async () => {
    await page.goto(`${base}/customers`);
    await page.getByTestId('customer-load-demo').click();
    const rows = page.locator('[data-testid="customer-table"] tr[data-row-key]');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(10);

    const { rows: people } = await t.db.query<{ name: string; code: string }>(
      "SELECT name, code FROM customers WHERE type = 'individual' AND char_length(name) = 3 ORDER BY id LIMIT 1",
    );
    const person = people[0];
    if (!person) throw new Error('demo data has no three-character individual name');
    await page.getByTestId('customer-search').fill(person.name);
    await page.locator('[data-testid="customer-table"]').getByText(person.code).waitFor();
    await page.locator('[data-testid="customer-table"]').getByText(person.code).click();
    await expect.poll(() => page.getByTestId('customer-name').textContent(), POLL).toContain(person.name);
    expect(page.url()).toMatch(/\/customers\/\d+$/);

    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByText('Contacts', { exact: false }).first().waitFor();
    expect(await page.locator('html').textContent()).toContain('Customers');
  });

  it('creates a customer through the form and refuses a bad phone with a field message', async () => {
    await page.goto(`${base}/customers/new`);
    await page.getByTestId('field-name').fill('浏览器测试客户');
    await page.getByTestId('field-phone').fill('12');
    await page.getByTestId('customer-submit').click();
    await page
      .getByText(/Invalid phone number|电话号码无效/)
      .first()
      .waitFor();
    await page.getByTestId('field-phone').fill('139 0000 1111');
    // Users who may list the users pick the owner from them.
    await page.getByTestId('field-owner').click();
    await page.locator('.ant-select-dropdown .ant-select-item-option[title="admin"]').click();
    await page.getByTestId('customer-submit').click();
    await expect
      .poll(() => page.getByTestId('customer-name').textContent(), POLL)
      .toContain('浏览器测试客户');
    expect(await page.getByTestId('customer-owner').textContent()).toBe('admin');
    const { rows } = await t.db.query<{ owner: string }>(
      "SELECT u.username AS owner FROM customers c JOIN users u ON u.id = c.owner_id WHERE c.name = '浏览器测试客户'",
    );
    expect(rows[0]?.owner).toBe('admin');
  });

  it('lists users, adds one in the modal, and shows and verifies the audit log', async () => {
    await page.getByTestId('nav-users').click();
    const users = page.locator('[data-testid="users-table"] tr[data-row-key]');
    await expect.poll(() => users.count(), POLL).toBe(2);
    await page.getByTestId('user-add').click();
    await page.getByTestId('user-username').fill('sally');
    await page.getByTestId('user-password').fill('short');
    await page.getByTestId('user-submit').click();
    await page
      .getByText(/至少 10 个字符|At least 10 characters/)
      .first()
      .waitFor();
    await page.getByTestId('user-password').fill('a long enough password');
    await page.getByTestId('user-submit').click();
    await expect.poll(() => users.count(), POLL).toBe(3);
    const { rows } = await t.db.query<{ role: string }>("SELECT role FROM users WHERE username = 'sally'");
    expect(rows[0]?.role).toBe('sales');

    await page.getByTestId('nav-audit').click();
    const entries = page.locator('[data-testid="audit-table"] tr[data-row-key]');
    await entries.first().waitFor();
    expect(await page.getByTestId('audit-table').textContent()).toContain('user.create');
    await page.getByTestId('audit-filter-action').fill('auth.login');
    await page.getByTestId('audit-filter-action').press('Escape');
    await page.getByTestId('audit-search').click();
    await expect.poll(() => page.url(), POLL).toContain('action=auth.login');
    await expect
      .poll(async () => (await entries.allTextContents()).every((row) => row.includes('auth.login')))
      .toBe(true);
    await page.getByTestId('audit-reset').click();
    await expect.poll(() => page.getByTestId('audit-filter-action').inputValue(), POLL).toBe('');
    expect(page.url()).not.toContain('action=');
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-verify-result').waitFor();
    expect(await page.getByTestId('audit-verify-result').getAttribute('data-ok')).toBe('true');
  });

  it('records and withdraws a consent, shares, transfers and erases a customer', async () => {
    // Still logged in as admin (logins are rate-limited); the UI is in English since the first test.
    await addTestUser(t.ctx, 'helper1', 'sales');
    const { rows } = await t.db.query<{ id: number }>(
      "SELECT id FROM customers WHERE name = '浏览器测试客户'",
    );
    const id = rows[0]?.id;
    if (!id) throw new Error('the customer created through the form is missing');
    await page.goto(`${base}/customers/${id}`);
    await page.getByTestId('owner-card').waitFor();
    expect(await page.getByTestId('owner-current').textContent()).toBe('admin');
    // Each select portals its own dropdown to the end of <body>; the newest one is the open one
    // (an earlier one can still be fading out on a slow machine).
    const option = (title: string) =>
      page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`).last();

    await page.getByTestId('consent-add').click();
    await page.getByTestId('consent-purpose').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: /营销|Marketing/ })
      .last()
      .click();
    await page.getByTestId('consent-scope').fill('电话和微信用于新品推荐');
    await page.getByTestId('consent-submit').click();
    await page.getByTestId('consent-submit').waitFor({ state: 'hidden' });
    const status = page.getByTestId('consents-card').locator('[data-testid^="consent-status-"]');
    await status.first().waitFor();
    expect(await status.first().textContent()).toMatch(/有效|Active/);
    const consentId = (await status.first().getAttribute('data-testid'))?.replace('consent-status-', '');
    await page.getByTestId(`consent-withdraw-${consentId}`).click();
    await expect.poll(() => status.first().textContent(), POLL).toMatch(/已撤回|Withdrawn/);
    expect(await page.getByTestId(`consent-withdraw-${consentId}`).count()).toBe(0);

    await page.getByTestId('collaborator-add').click();
    await page.getByTestId('collaborator-username').click();
    await option('helper1').click();
    await expect
      .poll(() => page.getByTestId('collaborator-username').textContent(), POLL)
      .toContain('helper1');
    await page.getByTestId('collaborator-submit').click();
    await page.getByTestId('collaborator-submit').waitFor({ state: 'hidden' });
    const collaborators = page.locator('[data-testid="collaborators-table"] tr[data-row-key]');
    await expect
      .poll(() => collaborators.allTextContents(), POLL)
      .toEqual([expect.stringContaining('helper1')]);

    await page.getByTestId('transfer-open').click();
    await page.getByTestId('transfer-to').click();
    await option('helper1').click();
    await expect.poll(() => page.getByTestId('transfer-to').textContent(), POLL).toContain('helper1');
    await page.getByTestId('transfer-reason').fill('调岗');
    await page.getByTestId('transfer-submit').click();
    await page.getByTestId('transfer-submit').waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('owner-current').textContent(), POLL).toBe('helper1');
    expect(await page.getByTestId('customer-owner').textContent()).toBe('helper1');
    await expect
      .poll(() => page.getByTestId('owner-history').textContent(), POLL)
      .toContain('admin → helper1');

    await page.getByTestId('dsr-erase').click();
    await page.getByTestId('dsr-erase-confirm').click();
    await expect.poll(() => page.getByTestId('customer-name').textContent(), POLL).toBe(`已删除客户 #${id}`);
    const { rows: erased } = await t.db.query<{ erased: boolean }>(
      'SELECT erased_at IS NOT NULL AS erased FROM customers WHERE id = $1',
      [id],
    );
    expect(erased[0]?.erased).toBe(true);
  });

  it('refuses a wrong password, logs out, and gives a read-only role no write buttons', async () => {
    await logOut();

    await submitLogin('admin', 'not the password');
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toMatch(
      /用户名或密码错误|Wrong username or password/,
    );
    expect(pathname()).toBe('/login');

    // A page opened without a session comes back after login.
    const { rows } = await t.db.query<{ id: number }>('SELECT id FROM customers ORDER BY id LIMIT 1');
    const id = rows[0]?.id;
    await page.goto(`${base}/customers/${id}`);
    await page.getByTestId('login-submit').waitFor();
    expect(pathname()).toBe('/login');
    await submitLogin('ana');
    await page.getByTestId('customer-name').waitFor();
    expect(pathname()).toBe(`/customers/${id}`);
    expect(await page.getByTestId('current-role').getAttribute('data-role')).toBe('analyst');
    expect(await page.getByTestId('customer-edit').count()).toBe(0);
    expect(await page.getByTestId('customer-delete').count()).toBe(0);
    expect(await page.getByTestId('contact-add').count()).toBe(0);
    expect(await page.getByTestId('transaction-add').count()).toBe(0);
    await page.getByTestId('consents-card').waitFor();
    expect(await page.getByTestId('owner-card').count()).toBe(1);
    for (const button of ['transfer-open', 'collaborator-add', 'consent-add', 'dsr-erase', 'dsr-export-json'])
      expect(await page.getByTestId(button).count()).toBe(0);

    await page.goto(`${base}/customers`);
    await page.locator('[data-testid="customer-table"] tr[data-row-key]').first().waitFor();
    expect(await page.getByTestId('customer-new').count()).toBe(0);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    await page.goto(`${base}/customers/new`);
    await page.getByTestId('forbidden').waitFor();

    await logOut();
  });

  it('sends the user to the login page when the session ends and returns after login', async () => {
    await page.goto(`${base}/customers`);
    await submitLogin('ana');
    const row = page.locator('[data-testid="customer-table"] tr[data-row-key]').first();
    await row.waitFor();
    const id = await row.getAttribute('data-row-key');

    await t.db.query('DELETE FROM sessions');
    await row.click();
    await page.getByTestId('login-notice').waitFor();
    expect(pathname()).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/customers/${id}`);
    await submitLogin('ana');
    await page.getByTestId('customer-name').waitFor();
    expect(pathname()).toBe(`/customers/${id}`);
  });

  it('shows masked personal values with a reveal link, and copes without the reveal endpoint', async () => {
    // The server masks for users without personal.view; the answers are shaped here to pin the UI down.
    const { rows } = await t.db.query<{ id: number }>('SELECT id FROM customers ORDER BY id LIMIT 2');
    const [first, second] = rows.map((row) => row.id);
    const masked = async (route: Route) => {
      const response = await route.fetch();
      const body = { ...(await response.json()), phone: '+86138****5678', email: 'w***@example.com' };
      await route.fulfill({ response, json: body });
    };
    await page.route(new RegExp(`/api/customers/(${first}|${second})$`), masked);
    await page.route(`**/api/customers/${first}/reveal`, (route) =>
      route.fulfill({ json: { phone: '+8613812345678' } }),
    );
    await page.route(`**/api/customers/${second}/reveal`, (route) =>
      route.fulfill({
        status: 404,
        json: {
          error: {
            code: 'NOT_FOUND',
            message: `没有这个接口 / No such endpoint: POST /api/customers/${second}/reveal`,
          },
        },
      }),
    );

    await page.goto(`${base}/customers/${first}`);
    await page.getByTestId('reveal-phone').waitFor();
    expect(await page.getByTestId('value-phone').textContent()).toBe('138 **** 5678');
    await page.getByTestId('reveal-phone').click();
    await expect.poll(() => page.getByTestId('value-phone').textContent(), POLL).toBe('138 1234 5678');
    expect(await page.getByTestId('reveal-phone').count()).toBe(0);
    expect(await page.getByTestId('reveal-email').count()).toBe(1);

    await page.goto(`${base}/customers/${second}`);
    await page.getByTestId('reveal-email').click();
    await expect.poll(() => page.getByTestId('reveal-email').count(), POLL).toBe(0);
    expect(await page.getByTestId('reveal-phone').count()).toBe(0);
    expect(await page.getByTestId('value-email').textContent()).toBe('w***@example.com');
    await page.unrouteAll();
  });

  it('shows a total beyond the count cap as 5,000+ and counts exactly on request', async () => {
    const rows = Array.from({ length: COUNT_CAP }, (_, i) => ({
      fields: { name: `批量客户${i}` },
      custom: {},
    }));
    await t.db.transaction((tx) => bulkInsertCustomers(tx, rows, ['name'], '2024-03-15', t.ctx.keyring));
    const { rows: counted } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
    const exact = (counted[0]?.n ?? 0).toLocaleString('en-US');

    await page.goto(`${base}/customers`);
    const total = page.getByTestId('customer-total');
    await expect.poll(() => total.textContent(), POLL).toMatch(/^(共 5,000\+ 位客户|5,000\+ customers)$/);
    await page.getByTestId('count-exactly').click();
    await expect
      .poll(() => total.textContent(), POLL)
      .toMatch(new RegExp(`^(共 ${exact} 位客户|${exact} customers)$`));
    expect(await page.getByTestId('count-exactly').count()).toBe(0);
    // The next page of the same list keeps the exact total.
    await page.getByTestId('page-next').click();
    await expect.poll(() => page.getByTestId('page-number').textContent(), POLL).toMatch(/2/);
    await expect.poll(() => total.textContent(), POLL).toContain(exact);
  });
});
