import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../config.js';
import { findDuplicateCustomers } from '../modules/duplicates/find-duplicates.js';
import { mergeCustomers } from '../modules/duplicates/merge-customers.js';
import { listMerges } from '../modules/duplicates/merges.js';
import { unmergeCustomers } from '../modules/duplicates/unmerge-customers.js';
import {
  type ExportEncoding,
  type ExportFormat,
  type ExportHeaders,
  exportCustomers,
  exportEncodings,
  exportFormats,
  exportHeaders,
} from '../modules/imports/export-customers.js';
import { type ConsentPurpose, consentPurposes } from '../modules/privacy/consents.js';
import {
  listIncompleteCustomers,
  listStaleCustomers,
  qualitySummary,
} from '../modules/quality/data-quality.js';
import { AppError, validationError } from '../shared/app-error.js';
import type { AppContext } from '../shared/context.js';
import { formatTable, printJson } from './output.js';

type WithContext = <T>(config: Config, command: string, work: (ctx: AppContext) => Promise<T>) => Promise<T>;

interface DataCommandEnv {
  config: () => Config;
  json: () => boolean;
  withContext: WithContext;
}

const out = (text: string) => process.stdout.write(text);

function count(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('须为正整数 / must be a positive integer');
  return parsed;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `field=value` pairs into list parameters (a repeated field becomes a list, as in a query string). */
function pairs(items: string[] | undefined, option: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const item of items ?? []) {
    const [key, ...rest] = item.split('=');
    if (!key || rest.length === 0) throw new InvalidArgumentError(`${option} ${item}: expected field=value`);
    const previous = params[key];
    params[key] = previous === undefined ? rest.join('=') : [previous, rest.join('=')].flat();
  }
  return params;
}

function oneOf<T extends string>(values: readonly T[], field: string, value: string): T {
  if (!(values as readonly string[]).includes(value)) {
    throw validationError([
      { field, message: `须为 ${values.join(' / ')} / Must be one of ${values.join(', ')}` },
    ]);
  }
  return value as T;
}

/**
 * `clientele duplicates …`, `clientele quality` and `clientele export customers`: finding and
 * merging duplicate customers, data-quality review, and spreadsheet export.
 */
export function registerDataCommands(program: Command, env: DataCommandEnv): void {
  const { config, json, withContext } = env;
  const duplicates = program.command('duplicates').description('find and merge duplicate customers');

  duplicates
    .command('find')
    .description('groups of duplicates (same phone or e-mail) and possible duplicates (similar names)')
    .option('--level <level>', 'duplicate | possible')
    .option('--limit <n>', 'groups to show (default 50)', count)
    .action(async (options: { level?: string; limit?: number }) => {
      const level = options.level
        ? oneOf(['duplicate', 'possible'] as const, 'level', options.level)
        : undefined;
      const report = await withContext(config(), 'duplicates find', (ctx) =>
        findDuplicateCustomers(ctx, { level, limit: options.limit ?? 50 }),
      );
      if (json()) return printJson(report);
      const rows = report.groups.flatMap((group, index) =>
        group.members.map((member, i) => [
          i === 0 ? String(index + 1) : '',
          i === 0 ? (group.level === 'duplicate' ? '重复 duplicate' : '疑似 possible') : '',
          member.code,
          member.name,
          member.owner ?? '',
          i === 0 ? group.matches.map((match) => match.kind).join(', ') : '',
        ]),
      );
      out(`${formatTable(['#', 'level', 'code', 'name', 'owner', 'why'], rows)}\n`);
      out(
        `重复 ${report.counts.duplicate} 组，疑似重复 ${report.counts.possible} 组 / ` +
          `${report.counts.duplicate} duplicate and ${report.counts.possible} possible duplicate groups\n`,
      );
    });

  duplicates
    .command('merge')
    .description(
      'merge customers into a survivor: rows move to it, the others are removed (undo with unmerge)',
    )
    .requiredOption('--survivor <code>', 'the customer that stays')
    .requiredOption('--others <codes>', 'comma-separated codes of the customers merged into it')
    .option(
      '--take <field=code>',
      "take a field's value from that customer (repeatable), e.g. phone=KH2024…",
      collect,
    )
    .option('--dry-run', 'show the result without writing anything')
    .action(async (options: { survivor: string; others: string; take?: string[]; dryRun?: boolean }) => {
      const others = options.others
        .split(/[,，]/)
        .map((code) => code.trim())
        .filter(Boolean);
      const take = pairs(options.take, '--take');
      for (const [field, value] of Object.entries(take)) {
        if (Array.isArray(value)) throw new InvalidArgumentError(`--take ${field}: given twice`);
      }
      const result = await withContext(config(), 'duplicates merge', (ctx) =>
        mergeCustomers(ctx, {
          survivor: options.survivor,
          others,
          take: take as Record<string, string>,
          dryRun: options.dryRun ?? false,
        }),
      );
      if (json()) return printJson(result);
      const moved = Object.entries(result.moved)
        .map(([table, n]) => `${table} ${n}`)
        .join(', ');
      out(
        `${result.dryRun ? '预览 / Dry run: ' : `合并 #${result.mergeId} / Merge #${result.mergeId}: `}` +
          `${result.removed.map((c) => c.code).join(', ')} → ${result.survivor.code} ${result.survivor.name}\n`,
      );
      if (result.fields.length > 0) {
        out(
          `${formatTable(
            ['field', 'from'],
            result.fields.map((field) => [field.field, field.from ?? '(all)']),
          )}\n`,
        );
      }
      out(`移动 / moved: ${moved || '—'}\n`);
      const setAside = Object.entries(result.setAside);
      if (setAside.length > 0) {
        out(
          `保留在合并记录中 / kept with the merge record: ${setAside.map(([table, n]) => `${table} ${n}`).join(', ')}\n`,
        );
      }
    });

  duplicates
    .command('unmerge <mergeId>')
    .description('undo a merge: the removed customers and their rows come back')
    .action(async (mergeId: string) => {
      const id = count(mergeId);
      const result = await withContext(config(), 'duplicates unmerge', (ctx) => unmergeCustomers(ctx, id));
      if (json()) return printJson(result);
      out(
        `已撤销合并 #${id}，恢复 ${result.restoredCustomers.map((c) => c.code).join(', ')} / ` +
          `Merge #${id} undone: ${result.restoredCustomers.map((c) => c.code).join(', ')} restored\n`,
      );
      if (result.changedSince.length > 0) {
        out(
          `合并后已修改、保持现值的字段 / Fields changed since the merge, kept as they are: ${result.changedSince.join(', ')}\n`,
        );
      }
      const missing = Object.entries(result.missing);
      if (missing.length > 0) {
        out(
          `合并后已删除的记录 / Rows deleted since the merge: ${missing.map(([table, n]) => `${table} ${n}`).join(', ')}\n`,
        );
      }
    });

  duplicates
    .command('merges')
    .description('merges, newest first')
    .option('--limit <n>', 'how many (default 50)', count)
    .action(async (options: { limit?: number }) => {
      const { items } = await withContext(config(), 'duplicates merges', (ctx) =>
        listMerges(ctx, { limit: options.limit }),
      );
      if (json()) return printJson(items);
      out(
        `${formatTable(
          ['id', 'survivor', 'removed', 'at', 'actor', 'undone'],
          items.map((merge) => [
            String(merge.id),
            merge.survivor.code,
            merge.removed.map((c) => c.code).join(', '),
            merge.mergedAt,
            merge.actor,
            merge.undoneAt ?? '',
          ]),
        )}\n`,
      );
    });

  program
    .command('quality')
    .description('data quality: completeness by band, stale customers; --list shows the customers')
    .option(
      '--stale-days <n>',
      'stale after this many days without update, purchase or contact (default 180)',
      count,
    )
    .option('--below <n>', 'incomplete below this score (default 60)', count)
    .option('--list <which>', 'incomplete | stale')
    .option('--limit <n>', 'customers to list (default 20)', count)
    .action(async (options: { staleDays?: number; below?: number; list?: string; limit?: number }) => {
      const which = options.list ? oneOf(['incomplete', 'stale'] as const, 'list', options.list) : undefined;
      const limit = options.limit ?? 20;
      const result = await withContext(config(), 'quality', async (ctx) => ({
        summary: await qualitySummary(ctx, { staleDays: options.staleDays, below: options.below }),
        incomplete:
          which === 'incomplete'
            ? await listIncompleteCustomers(ctx, { below: options.below, limit })
            : undefined,
        stale:
          which === 'stale' ? await listStaleCustomers(ctx, { days: options.staleDays, limit }) : undefined,
      }));
      if (json()) {
        const list = which ? { [`${which}Customers`]: result[which] } : {};
        return printJson({ ...result.summary, ...list });
      }
      const { summary } = result;
      out(
        `客户 ${summary.customers}，平均完整度 ${summary.averageScore ?? '—'}，不完整（低于 ${summary.incompleteBelow}）${summary.incomplete}，` +
          `${summary.staleDays} 天未活动 ${summary.stale}\n` +
          `${summary.customers} customers, average completeness ${summary.averageScore ?? '—'}, ` +
          `${summary.incomplete} below ${summary.incompleteBelow}, ${summary.stale} idle for ${summary.staleDays} days\n\n`,
      );
      out(
        `${formatTable(
          ['score', 'customers'],
          summary.bands.map((band) => [band.band, String(band.count)]),
        )}\n\n${formatTable(
          ['field', 'weight', 'filled'],
          summary.fields.map((field) => [field.field, String(field.weight), String(field.filled)]),
        )}\n`,
      );
      if (result.incomplete) {
        out(
          `\n${formatTable(
            ['code', 'name', 'owner', 'score', 'missing'],
            result.incomplete.items.map((c) => [
              c.code,
              c.name,
              c.owner ?? '',
              String(c.score),
              c.missing.join(', '),
            ]),
          )}\n`,
        );
      }
      if (result.stale) {
        out(
          `\n${formatTable(
            ['code', 'name', 'owner', 'idle days', 'last purchase'],
            result.stale.items.map((c) => [
              c.code,
              c.name,
              c.owner ?? '',
              String(c.idleDays),
              c.lastPurchaseOn ?? '',
            ]),
          )}\n`,
        );
      }
    });

  program
    .command('export')
    .description('export data')
    .command('customers')
    .description(
      'export customers (all, or those matching --filter) as CSV or xlsx, with headers import reads back',
    )
    .option('--format <format>', 'csv | xlsx', 'csv')
    .option('--output <file>', 'write to a file instead of standard output (required for xlsx)')
    .option('--encoding <encoding>', 'CSV: utf-8 (with BOM) | gbk', 'utf-8')
    .option('--no-bom', 'UTF-8 CSV without the byte-order mark')
    .option('--headers <headers>', 'api (API names) | zh (中文) | en', 'api')
    .option(
      '--filter <field=value>',
      'a customer-list parameter, e.g. stage=closed, search=张 (repeatable)',
      collect,
    )
    .option('--sort <field>', 'as in the customer list, e.g. name, -totalSpent (default: creation order)')
    .option('--purpose <purpose>', 'only customers with an active consent for this purpose (marketing, …)')
    .action(
      async (options: {
        format: string;
        output?: string;
        encoding: string;
        bom: boolean;
        headers: string;
        filter?: string[];
        sort?: string;
        purpose?: string;
      }) => {
        const format = oneOf<ExportFormat>(exportFormats, 'format', options.format);
        const encoding = oneOf<ExportEncoding>(exportEncodings, 'encoding', options.encoding.toLowerCase());
        const headers = oneOf<ExportHeaders>(exportHeaders, 'headers', options.headers);
        const purpose = options.purpose
          ? oneOf<ConsentPurpose>(consentPurposes, 'purpose', options.purpose)
          : undefined;
        if (format === 'xlsx' && !options.output) {
          throw new AppError(
            'VALIDATION_FAILED',
            { zh: 'xlsx 需要 --output 文件', en: 'xlsx needs --output FILE' },
            [{ field: 'output', message: '--output' }],
          );
        }
        const filter = pairs(options.filter, '--filter');
        if (options.sort) filter.sort = options.sort;
        await withContext(config(), 'export customers', async (ctx) => {
          const target = options.output ? fs.createWriteStream(options.output) : process.stdout;
          const exported = await exportCustomers(ctx, target, {
            format,
            encoding,
            bom: options.bom,
            headers,
            purpose,
            filter,
          });
          if (options.output) {
            const file = target as fs.WriteStream;
            // An xlsx workbook ends its stream itself; a CSV leaves it open (it may be stdout).
            if (!file.writableEnded) file.end();
            await finished(file);
            process.stderr.write(
              `已导出 ${exported} 个客户 / Exported ${exported} customers to ${options.output}\n`,
            );
          }
        });
      },
    );
}
