import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import iconv from 'iconv-lite';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createCustomer } from '../../src/modules/customers/create-customer.js';
import { webDistDir } from '../../src/shared/paths.js';
import { addTestUser, createTestContext, TEST_PASSWORD, type TestContext } from '../test-context.js';

const CHROMIUM = '/usr/bin/chromium';
/** A loaded CI machine answers slower than the one-second default of expect.poll. */
const POLL = { timeout: 20_000 };
const hasBrowser = fs.existsSync(CHROMIUM);

interface Stored {
  id: number;
  code: string;
}

/**
 * The import wizard and the duplicate merge screen in Debian's Chromium: an xlsx with a title row,
 * Chinese headers, an unrecognised column, an invalid row, a duplicate and a possible duplicate of
 * a stored customer; then a merge of two duplicates and its undo.
 */
describe.skipIf(!hasBrowser)('import wizard and duplicate merge in a browser', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  let dir: string;
  let xlsx: string;
  let existing: Stored;
  let first: Stored;
  let second: Stored;

  const pathname = () => new URL(page.url()).pathname;
  /** Each select portals its own dropdown; the newest visible one is the open one. */
  const option = (title: string) =>
    page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`).last();
  const count = async (sql: string, params: unknown[] = []) =>
    (await t.db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0;
  const countValue = (key: string) =>
    page.getByTestId(`import-count-${key}`).first().getAttribute('data-value');

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDistDir(), 'index.html'))) {
      throw new Error('dist/web is missing: run npm run build before the browser tests');
    }
    t = await createTestContext();
    const admin = await addTestUser(t.ctx, 'admin', 'admin');
    const asAdmin = { ...t.ctx, actor: admin.actor };
    existing = await createCustomer(asAdmin, {
      name: '杭州云帆科技有限公司',
      type: 'enterprise',
      phone: '13800138000',
      city: '杭州',
    });
    // Two records of one person: the same phone, written differently.
    first = await createCustomer(asAdmin, {
      name: '李明',
      type: 'individual',
      phone: '13900001111',
      city: '杭州',
    });
    second = await createCustomer(asAdmin, {
      name: '李明',
      type: 'individual',
      phone: '139 0000 1111',
      email: 'liming@example.com',
      city: '上海',
    });

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-import-browser-'));
    xlsx = path.join(dir, '客户名单.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('客户');
    sheet.addRow(['2024年客户名单']);
    sheet.addRow(['客户名称', '手机号码', '电子邮箱', '客户类型', '所在城市', '微信号码']);
    sheet.addRow(['上海星辰贸易有限公司', '13700001111', 'info@xingchen.cn', '企业', '上海', 'xingchen01']);
    sheet.addRow(['王小二', '12345', '', '个人', '北京', 'wx_wang']);
    sheet.addRow(['杭州云帆科技有限公司', '138 0013 8000', '', '企业', '杭州', '']);
    sheet.addRow(['杭州云帆科技', '13600002222', '', '企业', '杭州', '']);
    sheet.addRow(['赵六', '13500003333', 'zhaoliu@example.com', '个人', '深圳', 'zl666']);
    await workbook.xlsx.writeFile(xlsx);

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
    page = await browser.newPage({ locale: 'zh-CN', acceptDownloads: true });
    await page.goto(`${base}/customers`);
    await page.getByTestId('login-submit').waitFor();
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the file and shows the mapping below the title row; one column is mapped by hand', async () => {
    await page.getByTestId('customer-import').click();
    await expect.poll(() => pathname(), POLL).toBe('/import');
    await page.getByTestId('import-upload').locator('input[type="file"]').setInputFiles(xlsx);
    await page.getByTestId('import-analyse').click();

    const rows = page.locator('[data-testid="import-mapping-table"] tr[data-row-key]');
    await expect.poll(() => rows.count(), POLL).toBe(6);
    expect(await page.getByTestId('import-header-row').textContent()).toBe('2');
    expect(await page.getByTestId('import-table-info').textContent()).toContain('xlsx');
    // The WeChat column's header is not one the import knows: highlighted, not imported.
    const unknown = page.locator('[data-testid="import-mapping-table"] tr[data-unknown="true"]');
    await expect.poll(() => unknown.count(), POLL).toBe(1);
    expect(await unknown.textContent()).toContain('微信号码');
    await page.getByTestId('import-unknown-alert').waitFor();
    expect(await rows.nth(0).textContent()).toContain('名称');

    await page.getByTestId('mapping-field-5').click();
    // The list of fields is long (and virtual): search it as a user would.
    await page.keyboard.type('微信');
    await option('微信').click();
    await expect.poll(() => unknown.count(), POLL).toBe(0);
    await expect.poll(() => rows.nth(5).textContent(), POLL).toContain('手动指定');
    expect(await page.getByTestId('import-unknown-alert').count()).toBe(0);

    // The mapping as a file, for the next import of the same kind of sheet.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-mapping-download').click(),
    ]);
    const saved = JSON.parse(fs.readFileSync((await download.path()) as string, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(saved).toMatchObject({ 客户名称: 'name', 手机号码: 'phone', 微信号码: 'wechat' });
  });

  it('shows the invalid row in Chinese, the duplicate and the possible duplicate', async () => {
    await page.getByTestId('import-to-check').click();
    await expect.poll(() => countValue('rows'), POLL).toBe('5');
    expect(await countValue('invalid')).toBe('1');
    expect(await countValue('existing')).toBe('1');
    // On a duplicate the default is to update it.
    expect(await countValue('created')).toBe('3');
    expect(await countValue('updated')).toBe('1');

    const invalid = page.locator('[data-testid="import-invalid-table"] tr[data-row-key]');
    await expect.poll(() => invalid.count(), POLL).toBe(1);
    const text = (await invalid.first().textContent()) ?? '';
    expect(text).toContain('12345');
    expect(text).toContain('手机号码');
    expect(text).toContain('电话号码无效');
    expect(text).not.toContain('Invalid phone number');
    expect(await page.getByTestId('import-error-report').getAttribute('href')).toMatch(
      /^\/api\/imports\/error-reports\/[0-9a-f]{32}$/,
    );

    const possible = page.locator('[data-testid="import-possible-table"] tr[data-row-key]');
    await expect.poll(() => possible.count(), POLL).toBe(1);
    expect(await possible.first().textContent()).toContain('杭州云帆科技');
    expect(await possible.first().getByTestId('possible-code').textContent()).toBe(existing.code);
    expect(await possible.first().textContent()).toContain('负责人：admin');
    // The dry runs wrote nothing.
    expect(await count('SELECT count(*)::int AS n FROM customers')).toBe(3);
    expect(await count('SELECT count(*)::int AS n FROM imports')).toBe(0);
  });

  it('skips duplicates and invalid rows, imports the rest, and undoes the import', async () => {
    await page.getByTestId('import-to-decide').click();
    const expected = page.getByTestId('import-expected');
    // Invalid rows refuse the whole file until the user chooses to skip them.
    await expect.poll(() => expected.textContent(), POLL).toContain('导入将被拒绝');
    await page.getByTestId('import-on-duplicate-skip').click();
    await page.getByTestId('import-skip-invalid-yes').click();
    await expect.poll(() => expected.textContent(), POLL).toBe('将新建 3 条、更新 0 条、跳过 1 条。');

    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-commit-confirm').click();
    const result = page.getByTestId('import-result');
    await expect
      .poll(async () => (await result.count()) > 0 && (await result.getAttribute('data-import-id')), POLL)
      .toMatch(/^\d+$/);
    const importId = Number(await result.getAttribute('data-import-id'));
    expect(await page.getByTestId('import-id').textContent()).toBe(String(importId));
    expect(await countValue('created')).toBe('3');
    expect(await countValue('skipped')).toBe('1');
    expect(await count('SELECT count(*)::int AS n FROM customers')).toBe(6);
    const { rows: records } = await t.db.query<{ created: number; skipped: number; invalid: number }>(
      'SELECT created, skipped, invalid FROM imports WHERE id = $1',
      [importId],
    );
    expect(records[0]).toEqual({ created: 3, skipped: 1, invalid: 1 });
    // The duplicate was skipped: the stored customer kept its city.
    const { rows: kept } = await t.db.query<{ city: string }>('SELECT city FROM customers WHERE id = $1', [
      existing.id,
    ]);
    expect(kept[0]?.city).toBe('杭州');

    await page.getByTestId('import-undo').click();
    await page.getByTestId('import-undo-confirm').click();
    await expect.poll(() => result.getAttribute('data-undone'), POLL).toBe('true');
    expect(await count('SELECT count(*)::int AS n FROM customers')).toBe(3);
    expect(await count('SELECT count(*)::int AS n FROM imports WHERE undone_at IS NOT NULL')).toBe(1);

    // The history lists it as undone, without an undo button.
    await page.getByTestId('import-tab-history').click();
    await page.getByTestId(`import-undone-${importId}`).waitFor();
    expect(await page.getByTestId(`import-history-undo-${importId}`).count()).toBe(0);
  });

  it('merges two duplicates, keeping a field of the one removed, and unmerges them', async () => {
    await page.getByTestId('nav-duplicates').click();
    await expect.poll(() => pathname(), POLL).toBe('/duplicates');
    const group = page.locator(`[data-testid="dup-groups"] tr[data-row-key="${first.code},${second.code}"]`);
    await group.waitFor({ timeout: POLL.timeout });
    expect(await group.textContent()).toContain('相同电话');
    await group.getByTestId('group-merge').click();

    // The second record stays; the city comes from the first.
    await page.getByTestId(`merge-survivor-${second.id}`).click();
    const cityOfFirst = page.getByTestId(`merge-pick-city-${first.id}`);
    await cityOfFirst.waitFor();
    await cityOfFirst.click();
    await page.getByTestId('merge-preview').click();
    const preview = page.getByTestId('merge-preview-result');
    await preview.waitFor();
    expect(await preview.textContent()).toContain(`城市（来自 ${first.code}）`);
    // A preview writes nothing.
    expect(await count('SELECT count(*)::int AS n FROM customers WHERE id = $1', [first.id])).toBe(1);
    await page.getByTestId('merge-confirm').click();
    const merged = page.getByTestId('merge-result');
    await merged.waitFor({ timeout: POLL.timeout });
    const mergeId = Number(await merged.getAttribute('data-merge-id'));
    expect(mergeId).toBeGreaterThan(0);
    expect(await count('SELECT count(*)::int AS n FROM customers WHERE id = $1', [first.id])).toBe(0);
    const { rows: after } = await t.db.query<{ city: string }>('SELECT city FROM customers WHERE id = $1', [
      second.id,
    ]);
    expect(after[0]?.city).toBe('杭州');
    await page.getByTestId('merge-close').click();
    await expect.poll(() => group.count(), POLL).toBe(0);

    await page.getByTestId('dup-tab-merges').click();
    await page.getByTestId(`merge-undo-${mergeId}`).click();
    await page.getByTestId(`merge-undo-confirm-${mergeId}`).click();
    await page.getByTestId('unmerge-result').waitFor({ timeout: POLL.timeout });
    expect(await page.getByTestId('unmerge-result').textContent()).toContain(first.code);
    await page.getByTestId(`merge-undone-${mergeId}`).waitFor({ timeout: POLL.timeout });
    const { rows: restored } = await t.db.query<{ id: number; city: string }>(
      'SELECT id, city FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[first.id, second.id]],
    );
    expect(restored).toEqual([
      { id: first.id, city: '杭州' },
      { id: second.id, city: '上海' },
    ]);
    await page.locator('.ant-modal-confirm-btns .ant-btn').click();
    await page.getByTestId('unmerge-result').waitFor({ state: 'hidden' });
  });

  it('shows completeness by band and the incomplete customers, and opens a customer by its code', async () => {
    await page.getByTestId('nav-quality').click();
    await expect.poll(() => pathname(), POLL).toBe('/quality');
    await expect.poll(() => page.getByTestId('quality-customers').textContent(), POLL).toContain('3');
    // Name, phone, owner and a city without a province: every stored customer scores below 60.
    const rows = page.locator('[data-testid="quality-incomplete-table"] tr[data-row-key]');
    await expect.poll(() => rows.count(), POLL).toBe(3);
    expect(await rows.first().textContent()).toContain('省份和城市');
    await expect.poll(() => page.getByTestId('quality-band-0-39').textContent(), POLL).toMatch(/\d/);
    await rows.first().getByRole('link').click();
    await expect.poll(() => pathname(), POLL).toMatch(/^\/customers\/\d+$/);

    await page.goto(`${base}/customers/by-code/${existing.code}`);
    await expect.poll(() => pathname(), POLL).toBe(`/customers/${existing.id}`);
    await expect
      .poll(() => page.getByTestId('customer-name').textContent(), POLL)
      .toContain('杭州云帆科技有限公司');
  });

  it('shows the columns of a file without a recognisable name column, to be mapped by hand', async () => {
    const csv = path.join(dir, '名单.csv');
    fs.writeFileSync(csv, '客户全称,手机\n测试公司甲,13300001111\n');
    await page.goto(`${base}/import`);
    await page.getByTestId('import-upload').locator('input[type="file"]').setInputFiles(csv);
    await page.getByTestId('import-analyse').click();
    // Refused for the missing name column, but the header is shown for mapping.
    await expect
      .poll(() => page.getByTestId('import-failure').textContent(), POLL)
      .toContain('找不到必需的列');
    const rows = page.locator('[data-testid="import-mapping-table"] tr[data-row-key]');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    expect(await page.getByTestId('import-to-check').isDisabled()).toBe(true);

    await page.getByTestId('mapping-field-0').click();
    await page.keyboard.type('名称');
    await option('名称').click();
    await expect.poll(() => page.getByTestId('import-failure').count(), POLL).toBe(0);
    await expect.poll(() => rows.nth(1).textContent(), POLL).toContain('电话');
    await page.getByTestId('import-to-check').click();
    await expect.poll(() => countValue('created'), POLL).toBe('1');
    expect(await count('SELECT count(*)::int AS n FROM customers')).toBe(3);
  });

  it('exports the filtered customer list as CSV in GBK and as xlsx', async () => {
    await page.goto(`${base}/customers?search=${encodeURIComponent('李明')}`);
    await page.locator('[data-testid="customer-table"] tr[data-row-key]').first().waitFor();
    await page.getByTestId('customer-export').click();
    await page.getByTestId('export-format').getByText('CSV').click();
    await page.getByTestId('export-encoding').getByText('GBK').click();
    const href = (await page.getByTestId('export-download').getAttribute('href')) ?? '';
    const url = new URL(href, base);
    expect(url.pathname).toBe('/api/customers/export');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      search: '李明',
      format: 'csv',
      encoding: 'gbk',
      headers: 'zh',
    });
    const csv = await page.request.get(`${base}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toContain('attachment');
    const text = iconv.decode(await csv.body(), 'gbk');
    expect(text).toContain('客户名称');
    expect(text.match(/李明/g)?.length).toBe(2);
    expect(text).not.toContain('杭州云帆');

    await page.getByTestId('export-format').getByText('Excel').click();
    const xlsxHref = (await page.getByTestId('export-download').getAttribute('href')) ?? '';
    expect(xlsxHref).toContain('format=xlsx');
    expect(xlsxHref).not.toContain('encoding=');
    const file = await page.request.get(`${base}${xlsxHref}`);
    expect(file.status()).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await file.body()) as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]?.rowCount).toBe(3);
  });
});
