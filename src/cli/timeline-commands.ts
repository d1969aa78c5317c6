import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../config.js';
import { chinaWallTime } from '../domain/records/date-time.js';
import { timelineKinds } from '../domain/timeline/describe.js';
import { findUserByUsername } from '../modules/access/users.js';
import { findCustomerByCode } from '../modules/customers/customer.queries.js';
import { listCommunications, recordCommunication } from '../modules/records/communications.js';
import { refreshOverdueCredit } from '../modules/records/overdue-credit.js';
import { customerTimeline, TIMELINE_MAX_LIMIT, type TimelineItem } from '../modules/timeline/timeline.js';
import { AppError, validationError } from '../shared/app-error.js';
import type { AppContext } from '../shared/context.js';
import { isCalendarDate } from '../shared/fields.js';
import { formatTable, printJson } from './output.js';

type WithContext = <T>(config: Config, command: string, work: (ctx: AppContext) => Promise<T>) => Promise<T>;

interface TimelineCommandEnv {
  config: () => Config;
  json: () => boolean;
  withContext: WithContext;
}

const out = (text: string) => process.stdout.write(text);

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('须为正整数 / must be a positive integer');
  return parsed;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function lang(value: string): 'zh' | 'en' {
  if (value === 'zh' || value === 'zh-CN') return 'zh';
  if (value === 'en') return 'en';
  throw new InvalidArgumentError('须为 zh 或 en / must be zh or en');
}

async function customerId(ctx: AppContext, code: string): Promise<number> {
  const customer = await findCustomerByCode(ctx.db, code);
  if (!customer)
    throw new AppError('NOT_FOUND', { zh: `客户 ${code} 不存在`, en: `Customer ${code} not found` });
  return customer.id;
}

/** Usernames (or user ids) → user ids; unknown ones are refused naming the option. */
async function staffIds(ctx: AppContext, names: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [index, name] of names.entries()) {
    if (/^\d+$/.test(name)) ids.push(Number(name));
    else {
      const user = await findUserByUsername(ctx.db, name);
      if (!user) {
        throw validationError([
          { field: `staff.${index}`, message: `${name} 不存在 / No user named ${name}` },
        ]);
      }
      ids.push(user.id);
    }
  }
  return ids;
}

const shorten = (text: string | null, size = 40) =>
  text === null ? '' : text.length > size ? `${text.slice(0, size - 1)}…` : text.replace(/\s+/g, ' ');

/** `clientele timeline`, `clientele communications …`, `clientele projects refresh-credit`. */
export function registerTimelineCommands(program: Command, env: TimelineCommandEnv): void {
  const { config, json, withContext } = env;

  program
    .command('timeline <code>')
    .description(`a customer's timeline, newest first (${timelineKinds.join(', ')})`)
    .option('--kinds <list>', 'only these kinds, comma-separated, e.g. communication,transaction')
    .option('--limit <n>', 'how many items (default 50)', positiveInt)
    .option('--lang <lang>', 'language of the titles in the table: zh (default) or en', lang, 'zh' as const)
    .action(async (code: string, options: { kinds?: string; limit?: number; lang: 'zh' | 'en' }) => {
      const wanted = options.limit ?? 50;
      const items = await withContext(config(), 'timeline', async (ctx) => {
        const id = await customerId(ctx, code);
        const found: TimelineItem[] = [];
        let cursor: string | undefined;
        // Pages of at most the API's page size, until enough items are read.
        do {
          const page = await customerTimeline(ctx, id, {
            kinds: options.kinds,
            limit: Math.min(wanted - found.length, TIMELINE_MAX_LIMIT),
            cursor,
          });
          found.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor && found.length < wanted);
        return found;
      });
      if (json()) return printJson(items);
      out(
        `${formatTable(
          [
            'time',
            'kind',
            options.lang === 'zh' ? '标题' : 'title',
            options.lang === 'zh' ? '内容' : 'summary',
          ],
          items.map((item) => [
            chinaWallTime(item.at),
            item.kind,
            item.title[options.lang],
            shorten(item.summary),
          ]),
        )}\n`,
      );
    });

  const communications = program
    .command('communications')
    .description('communications with customers (沟通记录)');
  communications
    .command('add <code>')
    .description('record a communication; the customer’s last-contacted time follows')
    .requiredOption(
      '--channel <channel>',
      'phone | email | visit | wechat | meeting | sms | other (电话、邮件、拜访 …)',
    )
    .requiredOption('--content <text>', 'what was said or agreed')
    .option('--at <time>', 'when, e.g. "2024-03-05 14:30" (China time) or ISO-8601; default now')
    .option('--direction <direction>', 'outbound (default) | inbound')
    .option('--next-step <text>', 'the next step agreed')
    .option('--contact <id>', 'a contact of this customer who took part, by id (repeatable)', collect)
    .option('--staff <username>', 'a user who took part (repeatable)', collect)
    .action(
      async (
        code: string,
        options: {
          channel: string;
          content: string;
          at?: string;
          direction?: string;
          nextStep?: string;
          contact?: string[];
          staff?: string[];
        },
      ) => {
        const recorded = await withContext(config(), 'communications add', async (ctx) =>
          recordCommunication(ctx, await customerId(ctx, code), {
            channel: options.channel,
            content: options.content,
            occurredAt: options.at,
            direction: options.direction,
            nextStep: options.nextStep,
            contactIds: options.contact,
            staffIds: await staffIds(ctx, options.staff ?? []),
          }),
        );
        if (json()) return printJson(recorded);
        out(
          `已记录沟通 / Communication recorded: ${code} ${chinaWallTime(recorded.occurredAt)} ${recorded.channel} (#${recorded.id})\n`,
        );
      },
    );
  communications
    .command('list <code>')
    .description("a customer's communications, newest first")
    .option('--limit <n>', 'how many (default 50, at most 500)', positiveInt)
    .action(async (code: string, options: { limit?: number }) => {
      const page = await withContext(config(), 'communications list', async (ctx) =>
        listCommunications(ctx, await customerId(ctx, code), { limit: options.limit }),
      );
      if (json()) return printJson(page.items);
      out(
        `${formatTable(
          ['time', 'channel', 'direction', 'content', 'next step'],
          page.items.map((item) => [
            chinaWallTime(item.occurredAt),
            item.channel,
            item.direction,
            shorten(item.content),
            shorten(item.nextStep, 30),
          ]),
        )}\n`,
      );
    });

  program
    .command('projects')
    .description('projects and contracts')
    .command('refresh-credit')
    .description(
      'set credit status "overdue" where an instalment is overdue, and back to "good" where settled (daily)',
    )
    .option('--date <date>', 'as of this day YYYY-MM-DD (default: today in China)')
    .action(async (options: { date?: string }) => {
      if (options.date !== undefined && !isCalendarDate(options.date)) {
        throw validationError([
          { field: 'date', message: '须为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD' },
        ]);
      }
      const report = await withContext(config(), 'projects refresh-credit', (ctx) =>
        refreshOverdueCredit(ctx, options.date),
      );
      if (json()) return printJson(report);
      out(
        `${report.date}：${report.overdue.length} 个客户标为逾期，${report.restored.length} 个恢复良好 / ` +
          `${report.overdue.length} customers marked overdue, ${report.restored.length} back to good\n`,
      );
      for (const code of report.overdue) out(`  overdue  ${code}\n`);
      for (const code of report.restored) out(`  good     ${code}\n`);
    });
}
