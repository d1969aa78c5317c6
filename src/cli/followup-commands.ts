import type { Command } from 'commander';
import type { Config } from '../config.js';
import { followupMethodLabels } from '../domain/followups/methods.js';
import { type DueItem, dueFollowups } from '../modules/followups/due-followups.js';
import { planFollowups } from '../modules/followups/plan-followups.js';
import { getPoolSettings, updatePoolSettings } from '../modules/pool/pool-settings.js';
import { recycleCustomers } from '../modules/pool/recycle-customers.js';
import { validationError } from '../shared/app-error.js';
import type { AppContext } from '../shared/context.js';
import { formatTable, printJson } from './output.js';

type WithContext = <T>(config: Config, command: string, work: (ctx: AppContext) => Promise<T>) => Promise<T>;

interface FollowupCommandEnv {
  config: () => Config;
  json: () => boolean;
  withContext: WithContext;
}

const out = (text: string) => process.stdout.write(text);

/** `2026-12-01 09:00` in China time, for people; JSON keeps the ISO instant. */
function localTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--set key=value`: numbers, true / false and null as such, anything else as text. */
function settingValue(text: string): unknown {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  return text;
}

/** `clientele followups …` and `clientele pool …`: planning, reminders, recycling, pool rules. */
export function registerFollowupCommands(program: Command, env: FollowupCommandEnv): void {
  const { config, json, withContext } = env;
  const followups = program
    .command('followups')
    .description('follow-up plans (跟进计划): planning by cadence, reminders');

  followups
    .command('plan')
    .description("plan the follow-ups a tier scheme's cadences ask for (idempotent)")
    .requiredOption('--scheme <id>', 'tier scheme with cadences (e.g. abc)')
    .action(async (options: { scheme: string }) => {
      const result = await withContext(config(), 'followups plan', (ctx) =>
        planFollowups(ctx, options.scheme),
      );
      if (json()) return printJson(result.created);
      if (result.created.length > 0) {
        out(
          `${formatTable(
            ['customer', 'due', 'method', 'owner'],
            result.created.map((plan) => [
              plan.customer,
              localTime(plan.dueAt),
              followupMethodLabels[plan.method].zh,
              plan.owner ?? '',
            ]),
          )}\n`,
        );
      }
      out(
        `新建 ${result.createdCount} 个跟进计划，改期 ${result.redated} 个，关闭 ${result.closed} 个 / ` +
          `${result.createdCount} plans created, ${result.redated} re-dated, ${result.closed} closed\n`,
      );
    });

  followups
    .command('due')
    .description("a user's reminders: overdue, due today, next 7 days, and customers about to be recycled")
    .option('--owner <username>', 'whose (the CLI has no user of its own, so this is required)')
    .option('--limit <n>', 'at most this many per group (default 100)', (value) => Number(value))
    .action(async (options: { owner?: string; limit?: number }) => {
      if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
        throw validationError([{ field: 'limit', message: '须为正整数 / Must be a positive integer' }]);
      }
      const due = await withContext(config(), 'followups due', (ctx) => dueFollowups(ctx, options));
      if (json()) return printJson(due);
      const table = (items: DueItem[]) =>
        formatTable(
          ['due', 'customer', 'name', 'method', 'content', 'last contact'],
          items.map((item) => [
            localTime(item.dueAt),
            item.customer,
            item.customerName,
            followupMethodLabels[item.method].zh,
            item.content ?? '',
            item.daysSinceContact === null ? '—' : `${item.daysSinceContact} 天前 / days ago`,
          ]),
        );
      const groups = [
        ['已逾期 / Overdue', due.overdue, due.counts.overdue],
        ['今天 / Today', due.today, due.counts.today],
        ['未来7天 / Next 7 days', due.upcoming, due.counts.upcoming],
      ] as const;
      out(`${due.owner} · ${due.date}\n`);
      for (const [title, items, count] of groups) {
        out(`\n${title}: ${count}\n`);
        if (items.length > 0) out(`${table([...items])}\n`);
      }
      if (due.recycleWarnings.length > 0) {
        out('\n即将回收到公海 / About to return to the pool:\n');
        out(
          `${formatTable(
            ['customer', 'name', 'recycle on'],
            due.recycleWarnings.map((warning) => [warning.customer, warning.name, warning.recycleOn]),
          )}\n`,
        );
      }
    });

  const pool = program.command('pool').description('the customer pool (公海): recycling and rules');

  pool
    .command('recycle')
    .description('warn owners and return customers not followed up in time to the pool')
    .option('--dry-run', 'report what would happen, write nothing')
    .action(async (options: { dryRun?: boolean }) => {
      const result = await withContext(config(), 'pool recycle', (ctx) =>
        recycleCustomers(ctx, { dryRun: options.dryRun ?? false }),
      );
      if (json()) return printJson(result);
      if (result.recycled.length > 0) {
        out(
          `${formatTable(
            ['customer', 'name', 'owner', 'days', 'since'],
            result.recycled.map((item) => [
              item.customer,
              item.name,
              item.owner ?? '',
              String(item.days),
              localTime(item.since),
            ]),
          )}\n`,
        );
      }
      const verb = result.dryRun ? '将' : '已';
      const verbEn = result.dryRun ? 'would be' : 'were';
      out(
        `${verb}回收 ${result.recycled.length} 个客户，${verb}提醒 ${result.warnings.length} 个 / ` +
          `${result.recycled.length} customers ${verbEn} recycled, ${result.warnings.length} owners' customers ${verbEn} warned\n`,
      );
    });

  pool
    .command('settings')
    .description('show the pool rules; change them with --set key=value (repeatable)')
    .option('--set <key=value>', 'e.g. dailyClaimLimit=10, holdingLimit=null, autoRecycle=true', collect)
    .action(async (options: { set?: string[] }) => {
      const changes: Record<string, unknown> = {};
      for (const item of options.set ?? []) {
        const [key, ...rest] = item.split('=');
        if (!key || rest.length === 0) {
          throw validationError([{ field: 'set', message: `${item}: 须为 key=value / expected key=value` }]);
        }
        changes[key] = settingValue(rest.join('='));
      }
      const settings = await withContext(config(), 'pool settings', (ctx) =>
        Object.keys(changes).length > 0 ? updatePoolSettings(ctx, changes) : getPoolSettings(ctx.db),
      );
      if (json()) return printJson(settings);
      out(
        `${formatTable(
          ['setting', 'value'],
          Object.entries(settings).map(([key, value]) => [key, String(value)]),
        )}\n`,
      );
    });
}
