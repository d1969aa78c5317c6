import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { loadDemoData } from '../../src/modules/demo/load-demo-data.js';
import { webDistDir } from '../../src/shared/paths.js';
import { addTestUser, createTestContext, TEST_PASSWORD, type TestContext } from '../test-context.js';

const CHROMIUM = '/usr/bin/chromium';
/** A loaded CI machine answers slower than the one-second default of expect.poll. */
const POLL = { timeout: 20_000 };
const hasBrowser = fs.existsSync(CHROMIUM);
const SCHEME = 'monthly-spend';

/** The tier pages in Debian's Chromium: a preset scheme, a review, the charts, the rule editor, a customer's tiers. */
describe.skipIf(!hasBrowser)('customer tiers in a browser', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;

  const pathname = () => new URL(page.url()).pathname;
  const tab = (name: RegExp) => page.getByRole('tab', { name });
  /** Each select portals its own dropdown; the newest visible one is the open one. */
  const option = (title: string) =>
    page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`).last();
  const count = async (sql: string, params: unknown[] = []) =>
    (await t.db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDistDir(), 'index.html'))) {
      throw new Error('dist/web is missing: run npm run build before the browser tests');
    }
    t = await createTestContext();
    await addTestUser(t.ctx, 'admin', 'admin');
    // The demo data set: customers with two years of purchases up to today, so a review moves many.
    await loadDemoData(t.ctx, { customers: 300 });
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
    await page.goto(`${base}/tiers`);
    await page.getByTestId('login-submit').waitFor();
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
    expect(pathname()).toBe('/tiers');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await t?.close();
  });

  it('creates a scheme from the monthly-spend preset', async () => {
    await page.getByTestId('nav-tiers').click();
    await page.getByTestId('scheme-from-preset').click();
    await page.getByTestId('preset-select').click();
    await option('按月消费分级').click();
    await expect.poll(() => page.getByTestId('preset-description').textContent(), POLL).toContain('高级');
    await page.getByTestId('preset-submit').click();
    await expect.poll(() => pathname(), POLL).toBe(`/tiers/${SCHEME}`);
    await expect.poll(() => page.getByTestId('scheme-title').textContent(), POLL).toBe('按月消费分级');
    expect(await count('SELECT count(*)::int AS n FROM tier_schemes WHERE id = $1', [SCHEME])).toBe(1);
    // Nobody is placed before the first review.
    await expect.poll(() => page.getByTestId('dist-total').textContent(), POLL).toContain('0');
  });

  it('previews a review with a change table, then applies it', async () => {
    await tab(/评审/).click();
    await page.getByTestId('review-preview').click();
    const result = page.getByTestId('review-result');
    await expect.poll(() => result.getAttribute('data-dry-run'), POLL).toBe('true');
    const changes = page.locator('[data-testid="review-changes"] tr[data-row-key]');
    await expect.poll(() => changes.count(), POLL).toBeGreaterThan(0);
    // Every customer is new to the scheme: each change is a first assignment with a reason in Chinese.
    const first = await changes.first().textContent();
    expect(first).toContain('尚无等级');
    expect(first).toMatch(/您上个月消费/);
    // The metric values behind a change open below its row.
    await changes.first().locator('.ant-table-row-expand-icon').click();
    await expect
      .poll(() => page.getByTestId('change-metrics').first().textContent(), POLL)
      .toContain('月消费');
    // A preview writes nothing.
    expect(await count('SELECT count(*)::int AS n FROM tier_assignments')).toBe(0);

    await page.getByTestId('review-apply').click();
    await page.getByTestId('review-apply-confirm').click();
    await expect.poll(() => result.getAttribute('data-dry-run'), POLL).toBe('false');
    const assigned = await count('SELECT count(*)::int AS n FROM tier_assignments WHERE scheme_id = $1', [
      SCHEME,
    ]);
    expect(assigned).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('[data-testid="reviews-table"] tr[data-row-key]').count(), POLL)
      .toBe(1);
    expect(await count("SELECT count(*)::int AS n FROM tier_notices WHERE status = 'pending'")).toBe(
      assigned,
    );
  });

  it('shows the distribution as charts and the customers by tier', async () => {
    await tab(/分布/).click();
    const assigned = await count('SELECT count(*)::int AS n FROM tier_assignments WHERE scheme_id = $1', [
      SCHEME,
    ]);
    await expect
      .poll(() => page.getByTestId('dist-total').textContent(), POLL)
      .toContain(assigned.toLocaleString('en-US'));
    const { rows } = await t.db.query<{ tier: string; n: number }>(
      'SELECT tier, count(*)::int AS n FROM tier_assignments WHERE scheme_id = $1 GROUP BY tier',
      [SCHEME],
    );
    for (const row of rows)
      expect(await page.getByTestId(`dist-count-${row.tier}`).textContent()).toContain(String(row.n));
    // ECharts draws SVG: the bars' axis names the tiers, the review date shows on the time axis.
    await page.locator('[data-testid="dist-chart-current"] svg').waitFor();
    await expect.poll(() => page.getByTestId('dist-chart-current').textContent(), POLL).toContain('中级');
    await page.locator('[data-testid="dist-chart-over-time"] svg').waitFor();

    await tab(/客户/).click();
    const table = page.locator('[data-testid="assignments-table"] tr[data-row-key]');
    await expect.poll(() => table.count(), POLL).toBeGreaterThan(0);
    await page.getByTestId('assignments-tier-filter').click();
    await option('高级').click();
    const high = rows.find((row) => row.tier === 'high')?.n ?? 0;
    await expect
      .poll(async () => (await table.allTextContents()).every((text) => text.includes('高级')), POLL)
      .toBe(true);
    await expect.poll(() => table.count(), POLL).toBe(Math.min(high, 50));
  });

  it('edits a rule without JSON: shows the server error at the field, then saves a new version', async () => {
    await tab(/规则/).click();
    await expect.poll(() => page.getByTestId('scheme-version').getAttribute('data-version'), POLL).toBe('1');
    const value = page.getByTestId('rule-0-when-value');
    expect(await value.inputValue()).toBe('500');
    await value.fill('lots');
    await page.getByTestId('scheme-save').click();
    const fieldError = page.locator('[data-testid="field-error"][data-path="rules.0.when.value"]');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain('须为数字');
    expect(await page.getByTestId('scheme-errors').textContent()).toContain('rules.0.when.value');

    await value.fill('600');
    await page.getByTestId('rule-reason-0-zh').fill('您最近3个月每月消费均超过600元');
    await page.getByTestId('scheme-save').click();
    await expect.poll(() => page.getByTestId('scheme-version').getAttribute('data-version'), POLL).toBe('2');
    expect(await page.getByTestId('scheme-errors').count()).toBe(0);
    const { rows } = await t.db.query<{ definition: { rules: { when: { value: string } }[] } }>(
      'SELECT definition FROM tier_scheme_versions WHERE scheme_id = $1 AND version = 2',
      [SCHEME],
    );
    expect(rows[0]?.definition.rules[0]?.when.value).toBe('600');
    // The read-only JSON view shows the same definition.
    await page.getByTestId('editor-view').getByText('JSON').click();
    expect(await page.getByTestId('scheme-json').textContent()).toContain('"value": "600"');
    await page.getByTestId('editor-view').getByText('表单').click();
  });

  it('backtests the saved scheme and an unsaved draft', async () => {
    await tab(/规则/).click();
    // An unsaved edit makes a draft to backtest.
    await page.getByTestId('rule-0-when-value').fill('300');
    await tab(/回测/).click();
    await page.getByTestId('backtest-run').click();
    const periods = page.locator('[data-testid="backtest-table"] tr[data-row-key]');
    await expect.poll(() => periods.count(), POLL).toBeGreaterThanOrEqual(12);
    await page.getByTestId('backtest-different-assigned').waitFor();

    // The draft runs next to the saved scheme: quarterly keeps it quick.
    await page.getByTestId('backtest-source').getByText(/草稿/).click();
    await page.getByTestId('backtest-every').getByText('每季度').click();
    await page.getByTestId('backtest-run').click();
    await expect
      .poll(() => page.getByTestId('backtest-result').textContent(), POLL)
      .toContain('回测结果：草稿');
    expect(await page.getByTestId('backtest-table').textContent()).toContain('与已保存方案不同');
    await page.locator('[data-testid="backtest-chart"] svg').waitFor();
    // The draft stays unsaved.
    expect(
      await count('SELECT count(*)::int AS n FROM tier_scheme_versions WHERE scheme_id = $1', [SCHEME]),
    ).toBe(2);
    await tab(/规则/).click();
    await page.getByTestId('scheme-reset').click();
  });

  it('shows a customer their tier and history, overrides it with a reason and releases the lock', async () => {
    const { rows } = await t.db.query<{ id: number; tier: string }>(
      "SELECT customer_id AS id, tier FROM tier_assignments WHERE scheme_id = $1 AND tier <> 'high' ORDER BY customer_id LIMIT 1",
      [SCHEME],
    );
    const customer = rows[0];
    if (!customer) throw new Error('the review placed nobody below high');
    await page.goto(`${base}/customers/${customer.id}`);
    await page.getByTestId('tiers-card').waitFor();
    const tag = page.getByTestId(`customer-tier-${SCHEME}`);
    await expect.poll(() => tag.getAttribute('data-tier'), POLL).toBe(customer.tier);
    const history = page.locator('[data-testid="tier-history"] tr[data-row-key]');
    await expect.poll(() => history.count(), POLL).toBe(1);
    expect(await history.first().textContent()).toMatch(/您上个月消费/);

    await page.getByTestId(`tier-override-${SCHEME}`).click();
    await page.getByTestId('tier-override-tier').click();
    await option('高级').click();
    // A reason is required.
    await page.getByTestId('tier-override-submit').click();
    await page.getByText('请填写调整原因').waitFor();
    await page.getByTestId('tier-override-reason').fill('年度大客户，经理批准');
    await page.getByTestId('tier-override-submit').click();
    await page.getByTestId('tier-override-submit').waitFor({ state: 'hidden' });
    await expect.poll(() => tag.getAttribute('data-tier'), POLL).toBe('high');
    await expect.poll(() => history.count(), POLL).toBe(2);
    expect(await history.first().textContent()).toContain('人工调整：年度大客户，经理批准');
    expect(await page.getByTestId('override-locked').textContent()).toBe('已锁定');
    const { rows: stored } = await t.db.query<{ tier: string; locked: boolean; reason: string }>(
      'SELECT tier, locked, override_reason AS reason FROM tier_assignments WHERE customer_id = $1 AND scheme_id = $2',
      [customer.id, SCHEME],
    );
    expect(stored[0]).toEqual({ tier: 'high', locked: true, reason: '年度大客户，经理批准' });

    await page.getByTestId(`tier-release-${SCHEME}`).click();
    await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('override-locked').count(), POLL).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM tier_assignments WHERE locked')).toBe(0);
  });

  it('lists pending notices in the UI language and marks one as sent', async () => {
    await page.goto(`${base}/tiers`);
    await page.getByTestId('tier-notices-open').click();
    await expect.poll(() => pathname(), POLL).toBe('/tiers/notices');
    const rows = page.locator('[data-testid="notices-table"] tr[data-row-key]');
    await expect.poll(() => rows.count(), POLL).toBeGreaterThan(0);
    expect(await page.getByTestId('notice-text').first().textContent()).toMatch(/客户。$/);
    const id = await rows.first().getAttribute('data-row-key');
    await rows.first().locator('.ant-checkbox-input').check();
    await page.getByTestId('notices-mark-sent').click();
    await expect
      .poll(() => page.locator(`[data-testid="notices-table"] tr[data-row-key="${id}"]`).count(), POLL)
      .toBe(0);
    const { rows: marked } = await t.db.query<{ status: string }>(
      'SELECT status FROM tier_notices WHERE id = $1',
      [id],
    );
    expect(marked[0]?.status).toBe('sent');
    expect(await page.getByTestId('notices-csv').getAttribute('href')).toBe(
      '/api/tiers/notices?status=pending&format=csv',
    );
  });
  it('gives a read-only role the tier pages without the controls that change them', async () => {
    await addTestUser(t.ctx, 'ana', 'analyst');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-submit').waitFor();
    await page.getByTestId('login-username').fill('ana');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();

    await page.getByTestId('nav-tiers').click();
    await page.getByTestId(`scheme-link-${SCHEME}`).waitFor();
    expect(await page.getByTestId('scheme-from-preset').count()).toBe(0);
    expect(await page.getByTestId('tier-notices-open').count()).toBe(0);
    expect(await page.getByTestId(`scheme-active-${SCHEME}`).isDisabled()).toBe(true);
    await page.getByTestId(`scheme-link-${SCHEME}`).click();
    await tab(/评审/).click();
    await page.locator('[data-testid="reviews-table"] tr[data-row-key]').first().waitFor();
    expect(await page.getByTestId('review-preview').count()).toBe(0);
    expect(await tab(/回测/).count()).toBe(0);
    await tab(/规则/).click();
    await page.getByTestId('rule-0-when-value').waitFor();
    expect(await page.getByTestId('rule-0-when-value').isDisabled()).toBe(true);
    expect(await page.getByTestId('rule-add').isDisabled()).toBe(true);
    expect(await page.getByTestId('scheme-save').count()).toBe(0);
    await page.goto(`${base}/tiers/notices`);
    await page.getByTestId('forbidden').waitFor();

    const { rows } = await t.db.query<{ id: number }>(
      'SELECT customer_id AS id FROM tier_assignments WHERE scheme_id = $1 ORDER BY customer_id LIMIT 1',
      [SCHEME],
    );
    await page.goto(`${base}/customers/${rows[0]?.id}`);
    await page.getByTestId(`customer-tier-${SCHEME}`).waitFor();
    expect(await page.getByTestId(`tier-override-${SCHEME}`).count()).toBe(0);
  });
});
