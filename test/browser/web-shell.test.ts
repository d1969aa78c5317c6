import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { webDistDir } from '../../src/shared/paths.js';
import { createTestContext, type TestContext } from '../test-context.js';

const CHROMIUM = '/usr/bin/chromium';
const hasBrowser = fs.existsSync(CHROMIUM);

/** A whole user journey in Debian's Chromium against the real server with its own seeded data. */
describe.skipIf(!hasBrowser)('web shell in a browser', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDistDir(), 'index.html'))) {
      throw new Error('dist/web is missing: run npm run build before the browser tests');
    }
    t = await createTestContext();
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
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toContain(person.name);
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
    await page.getByTestId('customer-submit').click();
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toContain('浏览器测试客户');
  });
});
