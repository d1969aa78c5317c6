import fs from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../config.js';
import { findCustomerByCode } from '../modules/customers/customer.queries.js';
import {
  customerTierHistory,
  listAssignments,
  overrideTier,
  releaseOverride,
} from '../modules/tiers/assignments.js';
import { runBacktest } from '../modules/tiers/backtest.js';
import {
  exportNoticesCsv,
  listNotices,
  type NoticeStatus,
  noticeStatuses,
} from '../modules/tiers/notices.js';
import { type ReviewChange, runReview } from '../modules/tiers/reviews.js';
import { runDueReviews } from '../modules/tiers/scheduler.js';
import { createScheme, getScheme, listSchemes, presetList, updateScheme } from '../modules/tiers/schemes.js';
import { AppError, type Bilingual, validationError } from '../shared/app-error.js';
import type { AppContext } from '../shared/context.js';
import { formatTable, printJson } from './output.js';

type WithContext = <T>(config: Config, command: string, work: (ctx: AppContext) => Promise<T>) => Promise<T>;

interface TierCommandEnv {
  config: () => Config;
  json: () => boolean;
  withContext: WithContext;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function date(value: string): string {
  if (!DATE.test(value)) throw new InvalidArgumentError('须为日期 YYYY-MM-DD / must be a date YYYY-MM-DD');
  return value;
}

function lang(value: string): 'zh' | 'en' {
  if (value === 'zh' || value === 'zh-CN') return 'zh';
  if (value === 'en') return 'en';
  throw new InvalidArgumentError('须为 zh 或 en / must be zh or en');
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw validationError([{ field: 'file', message: `无法读取 ${file} / Cannot read ${file}` }]);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw validationError([
      {
        field: 'file',
        message: `${file} 不是有效的 JSON：${(error as Error).message} / ${file} is not valid JSON: ${(error as Error).message}`,
      },
    ]);
  }
}

async function customerId(ctx: AppContext, code: string): Promise<number> {
  const customer = await findCustomerByCode(ctx.db, code);
  if (!customer)
    throw new AppError('NOT_FOUND', { zh: `客户 ${code} 不存在`, en: `Customer ${code} not found` });
  return customer.id;
}

const out = (text: string) => process.stdout.write(text);

/** `clientele tiers …`: presets, schemes, reviews, assignments, history, overrides, backtests, notices. */
export function registerTierCommands(program: Command, env: TierCommandEnv): void {
  const { config, json, withContext } = env;
  const tiers = program
    .command('tiers')
    .description('customer tiers: schemes, reviews, history, overrides, backtests');

  tiers
    .command('presets')
    .description('the ready-made schemes (monthly-spend, ecommerce-membership, hotel, abc)')
    .action(() => {
      const presets = presetList();
      if (json()) {
        return printJson(
          presets.map((preset) => ({
            id: preset.id,
            name: preset.name,
            description: preset.description ?? null,
            cadence: preset.cadence,
            tiers: preset.tiers.map(({ key, name, rank }) => ({ key, name, rank })),
          })),
        );
      }
      out(
        `${formatTable(
          ['preset', '名称', 'name', 'tiers'],
          presets.map((preset) => [
            preset.id,
            preset.name.zh,
            preset.name.en,
            preset.tiers.map((tier) => `${tier.key}(${tier.name.zh})`).join(' < '),
          ]),
        )}\n`,
      );
    });

  const schemes = tiers.command('schemes').description('tier schemes');
  schemes
    .command('add')
    .description('add a scheme from a preset (--preset NAME [--id ID]) or a JSON file (--file scheme.json)')
    .option('--preset <name>', 'preset name (see: clientele tiers presets)')
    .option('--id <id>', 'scheme id (default: the preset name, or the id in the file)')
    .option('--file <file>', 'scheme definition as JSON')
    .action(async (options: { preset?: string; id?: string; file?: string }) => {
      if ((options.preset === undefined) === (options.file === undefined)) {
        throw validationError([
          { field: 'preset', message: '请给出 --preset 或 --file 之一 / Give either --preset or --file' },
        ]);
      }
      const definition = options.file === undefined ? undefined : readJsonFile(options.file);
      const stored = await withContext(config(), 'tiers schemes add', (ctx) =>
        createScheme(ctx, { preset: options.preset, id: options.id, definition }),
      );
      if (json()) return printJson({ id: stored.id, version: stored.version });
      out(
        `已创建分级方案 ${stored.id}（版本 ${stored.version}） / Created tier scheme ${stored.id} (version ${stored.version})\n`,
      );
    });
  schemes
    .command('update <id>')
    .description('save an edited definition (JSON file) as the next version')
    .requiredOption('--file <file>', 'scheme definition as JSON')
    .action(async (id: string, options: { file: string }) => {
      const definition = readJsonFile(options.file);
      const stored = await withContext(config(), 'tiers schemes update', (ctx) =>
        updateScheme(ctx, id, definition),
      );
      if (json()) return printJson({ id: stored.id, version: stored.version });
      out(
        `已保存分级方案 ${stored.id} 版本 ${stored.version} / Saved tier scheme ${stored.id} version ${stored.version}\n`,
      );
    });
  schemes
    .command('list')
    .description('the schemes, with how many customers each has assigned')
    .action(async () => {
      const items = await withContext(config(), 'tiers schemes list', (ctx) => listSchemes(ctx.db));
      if (json()) return printJson(items);
      out(
        `${formatTable(
          ['id', 'version', '名称 / name', 'cadence', 'assigned', 'last review'],
          items.map((item) => [
            item.id,
            String(item.version),
            `${item.name.zh} / ${item.name.en}`,
            item.cadence,
            String(item.assigned),
            item.lastReviewOn ?? '—',
          ]),
        )}\n`,
      );
    });
  schemes
    .command('show <id>')
    .description('a scheme definition as JSON (current version, or --version N)')
    .option('--version <n>', 'version', (value) => Number(value))
    .action(async (id: string, options: { version?: number }) => {
      const stored = await withContext(config(), 'tiers schemes show', (ctx) =>
        getScheme(ctx.db, id, options.version),
      );
      printJson(stored.definition);
    });

  tiers
    .command('review')
    .description('review a scheme at an as-of date: apply, or --dry-run to only report the changes')
    .requiredOption('--scheme <id>', 'scheme id')
    .requiredOption('--as-of <date>', 'as-of date YYYY-MM-DD', date)
    .option('--dry-run', 'report the changes, write nothing')
    .option('--lang <lang>', 'language of the reasons: zh (default) or en', lang, 'zh' as const)
    .action(async (options: { scheme: string; asOf: string; dryRun?: boolean; lang: 'zh' | 'en' }) => {
      const machine = json();
      let written = 0;
      const shown: ReviewChange[] = [];
      const result = await withContext(config(), 'tiers review', (ctx) =>
        runReview(ctx, {
          schemeId: options.scheme,
          asOf: options.asOf,
          dryRun: options.dryRun ?? false,
          changeLimit: 0,
          // Every change goes out as it is read, so a million changes never sit in memory.
          onChanges: (batch) => {
            if (!machine) {
              for (const change of batch) if (shown.length < 50) shown.push(change);
              return;
            }
            if (written === 0)
              out(
                `{"scheme":${JSON.stringify(options.scheme)},"asOf":${JSON.stringify(options.asOf)},"changes":[`,
              );
            out(
              batch
                .map(
                  (change, i) =>
                    `${written + i === 0 ? '' : ','}${JSON.stringify({
                      customer: change.customer,
                      from: change.from,
                      to: change.to,
                      reason: change.reason[options.lang],
                    })}`,
                )
                .join(''),
            );
            written += batch.length;
          },
        }),
      );
      if (!result) return;
      if (machine) {
        if (written === 0)
          out(
            `{"scheme":${JSON.stringify(options.scheme)},"asOf":${JSON.stringify(options.asOf)},"changes":[`,
          );
        out(`],"counts":${JSON.stringify(result.counts)}}\n`);
        return;
      }
      out(
        `${result.dryRun ? '预览（未写入） / Dry run (nothing written)' : '已评审 / Reviewed'}: ${result.scheme} v${result.version} as of ${result.asOf}\n` +
          `变动 ${result.changesTotal} 位客户 / ${result.changesTotal} customers change tier\n`,
      );
      if (shown.length > 0) {
        out(
          `${formatTable(
            ['customer', 'from', 'to', options.lang === 'zh' ? '原因' : 'reason'],
            shown.map((change) => [
              change.customer,
              change.from ?? '—',
              change.to,
              change.reason[options.lang],
            ]),
          )}\n`,
        );
        if (result.changesTotal > shown.length)
          out(`… ${result.changesTotal - shown.length} more (--json for all)\n`);
      }
      out(
        `${Object.entries(result.counts)
          .map(([tier, n]) => `${tier}: ${n}`)
          .join('  ')}\n`,
      );
    });

  tiers
    .command('list')
    .description('customers and their tier in a scheme, in customer-code order')
    .requiredOption('--scheme <id>', 'scheme id')
    .option('--tier <key>', 'only this tier')
    .action(async (options: { scheme: string; tier?: string }) => {
      await withContext(config(), 'tiers list', async (ctx) => {
        let after: string | undefined;
        let first = true;
        const rows: string[][] = [];
        if (json()) out('[');
        for (;;) {
          const page = await listAssignments(ctx, options.scheme, { tier: options.tier, after, limit: 500 });
          for (const item of page.items) {
            if (json()) {
              out(
                `${first ? '' : ','}${JSON.stringify({ customer: item.customer, tier: item.tier, since: item.since })}`,
              );
              first = false;
            } else rows.push([item.customer, item.name, item.tier, item.since, item.override ? '✓' : '']);
          }
          if (!page.nextCursor) break;
          after = page.nextCursor;
        }
        if (json()) out(']\n');
        else out(`${formatTable(['customer', 'name', 'tier', 'since', 'override'], rows)}\n`);
      });
    });

  tiers
    .command('history')
    .description("a customer's tier changes with their reasons, newest first")
    .requiredOption('--customer <code>', 'customer code')
    .option('--scheme <id>', 'only this scheme')
    .option('--lang <lang>', 'language of the reasons: zh (default) or en', lang, 'zh' as const)
    .action(async (options: { customer: string; scheme?: string; lang: 'zh' | 'en' }) => {
      const entries = await withContext(config(), 'tiers history', async (ctx) =>
        customerTierHistory(ctx, await customerId(ctx, options.customer), options.scheme),
      );
      const rows = entries.map((entry) => ({
        scheme: entry.scheme,
        version: entry.schemeVersion,
        date: entry.date,
        from: entry.from,
        to: entry.to,
        kind: entry.kind,
        rule: entry.rule,
        reason: entry.reason[options.lang],
        actor: entry.actor,
      }));
      if (json()) return printJson(rows);
      out(
        `${formatTable(
          ['date', 'scheme', 'from', 'to', options.lang === 'zh' ? '原因' : 'reason', 'by'],
          rows.map((row) => [row.date, row.scheme, row.from ?? '—', row.to, row.reason, row.actor]),
        )}\n`,
      );
    });

  tiers
    .command('override')
    .description("set a customer's tier by hand, with a reason; locked against reviews unless --no-lock")
    .requiredOption('--customer <code>', 'customer code')
    .requiredOption('--scheme <id>', 'scheme id')
    .requiredOption('--tier <key>', 'tier key')
    .requiredOption('--reason <text>', 'why (kept in the history and the audit trail)')
    .option('--until <date>', 'the lock ends after this date', date)
    .option('--no-lock', 'let the next review decide again')
    .action(
      async (options: {
        customer: string;
        scheme: string;
        tier: string;
        reason: string;
        until?: string;
        lock: boolean;
      }) => {
        const assignment = await withContext(config(), 'tiers override', async (ctx) =>
          overrideTier(ctx, await customerId(ctx, options.customer), {
            scheme: options.scheme,
            tier: options.tier,
            reason: options.reason,
            lock: options.lock,
            until: options.until ?? null,
          }),
        );
        if (json()) return printJson(assignment);
        out(
          `${options.customer}: ${assignment.tier}${assignment.override?.locked ? ` (locked${assignment.override.until ? ` until ${assignment.override.until}` : ''})` : ''}\n`,
        );
      },
    );
  tiers
    .command('release')
    .description('end a locked override early; the next review decides again')
    .requiredOption('--customer <code>', 'customer code')
    .requiredOption('--scheme <id>', 'scheme id')
    .action(async (options: { customer: string; scheme: string }) => {
      await withContext(config(), 'tiers release', async (ctx) =>
        releaseOverride(ctx, await customerId(ctx, options.customer), options.scheme),
      );
      if (json()) return printJson({ released: true });
      out('已解除锁定 / Lock released\n');
    });

  tiers
    .command('backtest')
    .description('run a scheme (--scheme) or a draft (--file) over history; writes nothing')
    .option('--scheme <id>', 'saved scheme id')
    .option('--file <file>', 'draft scheme definition (JSON); compared with the saved scheme of the same id')
    .requiredOption('--from <date>', 'first day', date)
    .requiredOption('--to <date>', 'last day', date)
    .option(
      '--every <period>',
      'month or quarter',
      (value) => {
        if (value !== 'month' && value !== 'quarter')
          throw new InvalidArgumentError('须为 month 或 quarter / must be month or quarter');
        return value;
      },
      'month',
    )
    .action(
      async (options: {
        scheme?: string;
        file?: string;
        from: string;
        to: string;
        every: 'month' | 'quarter';
      }) => {
        const definition = options.file === undefined ? undefined : readJsonFile(options.file);
        const result = await withContext(config(), 'tiers backtest', (ctx) =>
          runBacktest(ctx, {
            scheme: options.scheme,
            definition,
            from: options.from,
            to: options.to,
            every: options.every,
          }),
        );
        if (json()) return printJson(result);
        const keys = Object.keys(result.periods[0]?.counts ?? {});
        out(
          `${formatTable(
            ['as of', ...keys, 'changes', ...(result.draft ? ['≠ current'] : [])],
            result.periods.map((period) => [
              period.asOf,
              ...keys.map((key) => String(period.counts[key] ?? 0)),
              String(period.changes),
              ...(result.draft ? [String(period.differentFromCurrent ?? '—')] : []),
            ]),
          )}\n`,
        );
        if (result.differentFromAssigned !== null) {
          out(`与当前分级不同 / different from today's tiers: ${result.differentFromAssigned}\n`);
        }
      },
    );

  tiers
    .command('notices')
    .description('customer notices of tier changes (the outbox); --csv FILE exports them')
    .option('--status <status>', `one of ${noticeStatuses.join(', ')}`)
    .option('--scheme <id>', 'only this scheme')
    .option('--csv <file>', 'write all matching notices to a CSV file')
    .option('--lang <lang>', 'language of the text: zh (default) or en', lang, 'zh' as const)
    .action(async (options: { status?: string; scheme?: string; csv?: string; lang: 'zh' | 'en' }) => {
      if (options.status !== undefined && !(noticeStatuses as readonly string[]).includes(options.status)) {
        throw validationError([
          {
            field: 'status',
            message: `须为 ${noticeStatuses.join(' / ')} / Must be one of ${noticeStatuses.join(', ')}`,
          },
        ]);
      }
      const filter = { status: options.status as NoticeStatus | undefined, scheme: options.scheme };
      if (options.csv !== undefined) {
        const file = options.csv;
        const csv = await withContext(config(), 'tiers notices', (ctx) => exportNoticesCsv(ctx, filter));
        fs.writeFileSync(file, csv);
        const count = csv.split('\n').filter((line) => line.trim() !== '').length - 1;
        if (json()) return printJson({ file, notices: count });
        out(`已导出 ${count} 条通知到 ${file} / Exported ${count} notices to ${file}\n`);
        return;
      }
      const items = await withContext(config(), 'tiers notices', (ctx) =>
        listNotices(ctx, { ...filter, limit: 1000 }),
      );
      if (json()) return printJson(items);
      const text = (value: Bilingual) => value[options.lang];
      out(
        `${formatTable(
          ['id', 'customer', 'date', 'status', 'text'],
          items.map((item) => [String(item.id), item.customer, item.date, item.status, text(item.text)]),
        )}\n`,
      );
    });

  tiers
    .command('run-due')
    .description('run the scheduled reviews that are due now (the server does this by itself every hour)')
    .action(async () => {
      const runs = await withContext(config(), 'tiers run-due', (ctx) => runDueReviews(ctx));
      if (json()) return printJson(runs);
      if (runs.length === 0) out('没有到期的评审 / No review is due\n');
      for (const run of runs) {
        out(
          run.skipped
            ? `${run.scheme} ${run.period}: 跳过 / skipped (${run.skipped})\n`
            : `${run.scheme} ${run.period} (as of ${run.asOf}): ${run.changes} changes\n`,
        );
      }
    });
}
