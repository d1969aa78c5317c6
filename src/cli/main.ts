import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { type Config, loadConfig } from '../config.js';
import { readOperatorSecret } from '../db/data-dir-lock.js';
import { type Role, roles } from '../domain/security/roles.js';
import { beginKeyRotation, finishKeyRotation } from '../modules/access/keys.js';
import { createApiToken, revokeApiToken } from '../modules/access/sessions.js';
import { addTeam, addUser, changeUserRole, listTeams, listUsers } from '../modules/access/users.js';
import { verifyAuditLog } from '../modules/audit/audit-log.js';
import { createCustomer } from '../modules/customers/create-customer.js';
import { resealPersonalData } from '../modules/customers/encrypt-personal-data.js';
import { getCustomerByCode } from '../modules/customers/get-customer.js';
import { COUNT_CAP, listCustomers } from '../modules/customers/list-customers.js';
import { transferCustomer } from '../modules/customers/transfer-customer.js';
import { loadDemoData } from '../modules/demo/load-demo-data.js';
import { eraseSubject, exportSubjectData, subjectDataWorkbook } from '../modules/privacy/subject-requests.js';
import { AppError } from '../shared/app-error.js';
import type { AppContext } from '../shared/context.js';
import { contactsOf } from './contacts-of.js';
import { registerDataCommands } from './data-commands.js';
import { registerFollowupCommands } from './followup-commands.js';
import '../shared/validation.js';
import { registerImportCommands } from './import-commands.js';
import { openContext } from './open-context.js';
import { formatTable, printJson, reportError, totalLine } from './output.js';
import { runServer } from './serve.js';
import { registerTierCommands } from './tier-commands.js';
import { registerTimelineCommands } from './timeline-commands.js';

interface ListOptions {
  search?: string;
  limit?: number;
  sort?: string;
  filter?: string[];
  exactTotal?: boolean;
}

interface GlobalOptions {
  data?: string;
  json?: boolean;
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('须为非负整数 / must be a non-negative integer');
  return parsed;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Runs `work` with an opened database and closes it (releasing the data-folder lock) afterwards. */
async function withContext<T>(
  config: Config,
  command: string,
  work: (ctx: AppContext) => Promise<T>,
): Promise<T> {
  const ctx = await openContext(config, command);
  try {
    return await work(ctx);
  } finally {
    await ctx.db.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function buildProgram(): Command {
  const program = new Command('clientele')
    .description(
      'Clientele 客户管理 — customer records, tiers and analysis for small and mid-size businesses',
    )
    .option('--data <dir>', 'PGlite data folder (default ./data, or CLIENTELE_DATA)')
    .option('--json', 'machine-readable JSON output')
    .showHelpAfterError();
  const config = (extra: { port?: number } = {}) =>
    loadConfig(process.env, { dataDir: (program.opts() as GlobalOptions).data, ...extra });
  const json = () => Boolean((program.opts() as GlobalOptions).json);

  program
    .command('serve')
    .description('start the web app and API (http://localhost:3000)')
    .option('--port <n>', 'HTTP port (default 3000, or PORT)', positiveInt)
    .option('--demo', 'load the demo data set first if the database is empty')
    .action(async (options: { port?: number; demo?: boolean }) => {
      await runServer(config({ port: options.port }), { demo: options.demo });
    });

  program
    .command('demo')
    .description('load the demo data set (~2,000 Chinese SME customers, contacts, two years of transactions)')
    .option('--customers <n>', 'number of customers', positiveInt)
    .option('--seed <n>', 'random seed (same seed, same data)', positiveInt)
    .action(async (options: { customers?: number; seed?: number }) => {
      const report = await runOrForward(config(), 'demo', (ctx) => loadDemoData(ctx, options), options);
      if (json()) printJson(report);
      else {
        process.stdout.write(
          `已载入演示数据：${report.customers} 个客户，${report.contacts} 个联系人，${report.transactions} 笔交易\n` +
            `Demo data loaded: ${report.customers} customers, ${report.contacts} contacts, ${report.transactions} transactions\n`,
        );
      }
    });

  const customers = program.command('customers').description('list, show and add customers');
  customers
    .command('list')
    .description('list customers (newest first)')
    .option('--search <text>', 'name, phone, e-mail, pinyin or initials')
    .option('--limit <n>', 'how many (default 20)', positiveInt)
    .option('--sort <field>', 'e.g. name, -totalSpent')
    .option('--filter <field=value>', 'filter as in the API, e.g. stage=closed (repeatable)', collect)
    .option(
      '--exact-total',
      `count every match (by default the total stops at ${COUNT_CAP}, shown as ${COUNT_CAP}+)`,
    )
    .action(async (options: ListOptions) => {
      const params: Record<string, string | string[]> = { limit: String(options.limit ?? 20) };
      if (options.search) params.search = options.search;
      if (options.exactTotal) params.exactTotal = 'true';
      if (options.sort) params.sort = options.sort;
      for (const item of options.filter ?? []) {
        const [key, ...rest] = item.split('=');
        if (!key || rest.length === 0)
          throw new InvalidArgumentError(`--filter ${item}: expected field=value`);
        const previous = params[key];
        params[key] = previous === undefined ? rest.join('=') : [previous, rest.join('=')].flat();
      }
      const page = await withContext(config(), 'customers list', (ctx) => listCustomers(ctx, params));
      if (json()) return printJson(page);
      process.stdout.write(
        `${formatTable(
          ['code', 'name', 'type', 'stage', 'city', 'phone', 'totalSpent'],
          page.items.map((c) => [c.code, c.name, c.type, c.stage, c.city ?? '', c.phone ?? '', c.totalSpent]),
        )}\n${totalLine(page.total, page.totalIsExact)}\n`,
      );
    });

  customers
    .command('show <code>')
    .description('show one customer with contacts')
    .action(async (code: string) => {
      const result = await withContext(config(), 'customers show', async (ctx) => {
        const customer = await getCustomerByCode(ctx, code);
        return { ...customer, contacts: await contactsOf(ctx, customer.id) };
      });
      if (json()) return printJson(result);
      const { contacts, custom, ...fields } = result;
      const rows = Object.entries({
        ...fields,
        ...Object.fromEntries(Object.entries(custom).map(([k, v]) => [`custom.${k}`, v])),
      })
        .filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0))
        .map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : String(value)]);
      process.stdout.write(`${formatTable(['field', 'value'], rows)}\n`);
      if (contacts.length > 0) {
        process.stdout.write(
          `\n${formatTable(
            ['contact', 'title', 'phone', 'email', 'primary'],
            contacts.map((k) => [
              k.name,
              k.title ?? '',
              k.phone ?? '',
              k.email ?? '',
              k.isPrimary ? '✓' : '',
            ]),
          )}\n`,
        );
      }
    });

  customers
    .command('add')
    .description('add a customer (any field with --set field=value, custom fields as custom.KEY=value)')
    .requiredOption('--name <name>', 'name of the person or company')
    .option('--code <code>', 'customer number (default: generated by the numbering rule)')
    .option('--type <type>', 'individual | enterprise (个人 | 企业)')
    .option('--phone <phone>')
    .option('--email <email>')
    .option('--province <province>')
    .option('--city <city>')
    .option('--industry <industry>')
    .option('--source <source>')
    .option('--tags <tags>', 'comma-separated')
    .option('--set <field=value>', 'any other field (repeatable)', collect)
    .action(async (options: Record<string, string | string[] | undefined>) => {
      const input: Record<string, unknown> = {};
      const custom: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(options)) {
        if (key !== 'set' && value !== undefined) input[key] = value;
      }
      for (const item of (options.set as string[] | undefined) ?? []) {
        const [key, ...rest] = item.split('=');
        if (!key || rest.length === 0) throw new InvalidArgumentError(`--set ${item}: expected field=value`);
        if (key.startsWith('custom.')) custom[key.slice(7)] = rest.join('=');
        else input[key] = rest.join('=');
      }
      if (Object.keys(custom).length > 0) input.custom = custom;
      const customer = await withContext(config(), 'customers add', (ctx) =>
        createCustomer(ctx, input as { name: string }),
      );
      if (json()) return printJson(customer);
      process.stdout.write(`已创建 / Created ${customer.code} ${customer.name}\n`);
    });

  customers
    .command('transfer <code>')
    .description('transfer a customer to another owner (转移), recorded in its history')
    .requiredOption('--to <username>', 'the new owner')
    .option('--reason <text>', 'why')
    .action(async (code: string, options: { to: string; reason?: string }) => {
      const customer = await withContext(config(), 'customers transfer', (ctx) =>
        transferCustomer(ctx, code, options.to, options.reason ?? null),
      );
      if (json()) return printJson(customer);
      process.stdout.write(`已转移 / Transferred ${customer.code} ${customer.name} → ${customer.owner}\n`);
    });

  customers
    .command('data-export <code>')
    .description('everything about one customer, for a data-subject request (audited)')
    .option('--format <format>', 'json | xlsx', 'json')
    .option('--output <file>', 'write to a file (required for xlsx)')
    .action(async (code: string, options: { format: string; output?: string }) => {
      if (options.format !== 'json' && options.format !== 'xlsx') {
        throw new AppError(
          'VALIDATION_FAILED',
          { zh: '格式须为 json 或 xlsx', en: 'The format must be json or xlsx' },
          [{ field: 'format', message: 'json | xlsx' }],
        );
      }
      const data = await withContext(config(), 'customers data-export', async (ctx) =>
        exportSubjectData(ctx, (await getCustomerByCode(ctx, code)).id),
      );
      if (options.format === 'xlsx') {
        if (!options.output) {
          throw new AppError(
            'VALIDATION_FAILED',
            { zh: 'xlsx 需要 --output 文件', en: 'xlsx needs --output FILE' },
            [{ field: 'output', message: '--output' }],
          );
        }
        fs.writeFileSync(options.output, await subjectDataWorkbook(data));
      } else if (options.output) fs.writeFileSync(options.output, `${JSON.stringify(data, null, 2)}\n`);
      else printJson(data);
      if (options.output) process.stderr.write(`已导出 / Exported to ${options.output}\n`);
    });

  customers
    .command('erase <code>')
    .description('erase the personal data of a customer on request; transactions are kept (audited)')
    .option('--yes', 'confirm: this cannot be undone')
    .action(async (code: string, options: { yes?: boolean }) => {
      if (!options.yes) {
        throw new AppError(
          'VALIDATION_FAILED',
          { zh: '此操作不可撤销：请加 --yes 确认', en: 'This cannot be undone: add --yes to confirm' },
          [{ field: 'yes', message: '--yes' }],
        );
      }
      await withContext(config(), 'customers erase', async (ctx) =>
        eraseSubject(ctx, (await getCustomerByCode(ctx, code)).id),
      );
      if (json()) printJson({ erased: code });
      else process.stdout.write(`已删除 ${code} 的个人信息 / Personal data of ${code} erased\n`);
    });

  registerImportCommands(program, { config: () => config(), json, withContext });

  const teams = program.command('teams').description('teams (departments)');
  teams
    .command('add <name>')
    .description('add a team, optionally under a parent team')
    .option('--parent <name>', 'parent team')
    .option('--manager <username>', 'the team manager')
    .action(async (name: string, options: { parent?: string; manager?: string }) => {
      const team = await withContext(config(), 'teams add', (ctx) => addTeam(ctx, { name, ...options }));
      if (json()) return printJson(team);
      process.stdout.write(
        `已创建团队 / Team created: ${team.name}${team.parent ? ` (↑ ${team.parent})` : ''}\n`,
      );
    });
  teams
    .command('list')
    .description('list teams')
    .action(async () => {
      const items = await withContext(config(), 'teams list', (ctx) => listTeams(ctx.db));
      if (json()) return printJson(items);
      process.stdout.write(
        `${formatTable(
          ['team', 'parent', 'manager'],
          items.map((team) => [team.name, team.parent ?? '', team.manager ?? '']),
        )}\n`,
      );
    });

  const users = program.command('users').description('user accounts');
  users
    .command('add <username>')
    .description('add a user; the password is read from standard input with --password-stdin')
    .requiredOption('--role <role>', roles.join(' | '))
    .option('--team <name>', 'team (department)')
    .option('--display-name <name>', 'name shown in the app')
    .option('--password-stdin', 'read the password from standard input (required: never on the command line)')
    .action(
      async (
        username: string,
        options: { role: string; team?: string; displayName?: string; passwordStdin?: boolean },
      ) => {
        if (!options.passwordStdin) {
          throw new AppError(
            'VALIDATION_FAILED',
            {
              zh: '请用 --password-stdin 从标准输入提供密码',
              en: 'Give the password on standard input with --password-stdin',
            },
            [{ field: 'password', message: '--password-stdin' }],
          );
        }
        const password = (await readStdin()).replace(/\r?\n$/, '');
        const user = await withContext(config(), 'users add', (ctx) =>
          addUser(ctx, {
            username,
            role: options.role as Role,
            team: options.team,
            displayName: options.displayName,
            password,
          }),
        );
        if (json()) return printJson(user);
        process.stdout.write(
          `已创建用户 / User created: ${user.username} (${user.role}${user.team ? `, ${user.team}` : ''})\n`,
        );
      },
    );
  users
    .command('list')
    .description('list users')
    .action(async () => {
      const items = await withContext(config(), 'users list', (ctx) => listUsers(ctx.db));
      if (json()) return printJson(items);
      process.stdout.write(
        `${formatTable(
          ['username', 'role', 'team', 'disabled'],
          items.map((u) => [u.username, u.role, u.team ?? '', u.disabled ? 'yes' : '']),
        )}\n`,
      );
    });
  users
    .command('role <username> <role>')
    .description("change a user's role (their sessions end)")
    .action(async (username: string, role: string) => {
      const user = await withContext(config(), 'users role', (ctx) =>
        changeUserRole(ctx, username, role as Role),
      );
      if (json()) return printJson(user);
      process.stdout.write(`${user.username}: ${user.role}\n`);
    });

  const tokens = program.command('tokens').description('API tokens for integrations');
  tokens
    .command('create <name>')
    .description('create an API token scoped to a role; it is printed once')
    .requiredOption('--role <role>', roles.join(' | '))
    .action(async (name: string, options: { role: string }) => {
      const token = await withContext(config(), 'tokens create', (ctx) =>
        createApiToken(ctx, { name, role: options.role as Role }),
      );
      if (json()) return printJson(token);
      process.stdout.write(
        `${token.token}\n请妥善保存，此令牌只显示一次 / Keep it safe: it is shown only once\n`,
      );
    });
  tokens
    .command('revoke <id>')
    .description('revoke an API token')
    .action(async (id: string) => {
      await withContext(config(), 'tokens revoke', (ctx) => revokeApiToken(ctx, Number(id)));
      if (!json()) process.stdout.write(`已吊销 / Revoked ${id}\n`);
    });

  program
    .command('audit')
    .description('audit trail')
    .command('verify')
    .description('check the hash chain of the audit trail')
    .action(async () => {
      const result = await withContext(config(), 'audit verify', (ctx) => verifyAuditLog(ctx.db));
      if (json()) printJson(result);
      else if (result.ok)
        process.stdout.write(`审计链完整 / Audit chain intact: ${result.entries} entries\n`);
      else {
        process.stdout.write(
          `审计链在第 ${result.firstBadId} 条被破坏 / Audit chain broken at entry ${result.firstBadId} (${result.problem})\n`,
        );
      }
      if (!result.ok) process.exitCode = 1;
    });

  program
    .command('keys')
    .description('encryption keys for personal data')
    .command('rotate')
    .description(
      'make a new key and re-encrypt all personal data with it (blind indexes too), in one transaction',
    )
    .action(async () => {
      const cfg = config();
      if (cfg.masterKey) {
        throw new AppError('VALIDATION_FAILED', {
          zh: '密钥来自 CLIENTELE_MASTER_KEY：请用密钥文件（CLIENTELE_KEY_FILE）以便轮换',
          en: 'The key comes from CLIENTELE_MASTER_KEY: rotation works on a key file (CLIENTELE_KEY_FILE)',
        });
      }
      const result = await withContext(cfg, 'keys rotate', async (ctx) => {
        const keyring = beginKeyRotation(cfg.keyFile);
        const report = await resealPersonalData({ ...ctx, keyring }, { everything: true });
        finishKeyRotation(cfg.keyFile);
        return { keyId: keyring.currentKeyId, customers: report.customers };
      });
      if (json()) return printJson(result);
      process.stdout.write(
        `已轮换密钥 ${result.keyId}，重新加密 ${result.customers} 个客户 / Key rotated to ${result.keyId}; ${result.customers} customers re-encrypted\n`,
      );
    });

  registerTierCommands(program, { config: () => config(), json, withContext });
  registerDataCommands(program, { config: () => config(), json, withContext });
  registerFollowupCommands(program, { config: () => config(), json, withContext });
  registerTimelineCommands(program, { config: () => config(), json, withContext });

  program
    .command('migrate')
    .description('apply database migrations and print the schema version')
    .action(async () => {
      const version = await withContext(config(), 'migrate', async (ctx) => {
        const { rows } = await ctx.db.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
        return { database: ctx.db.kind, location: ctx.db.location, schemaVersion: rows[0]?.v ?? 0 };
      });
      if (json()) printJson(version);
      else
        process.stdout.write(
          `${version.database} ${version.location}: schema version ${version.schemaVersion}\n`,
        );
    });
  return program;
}

/**
 * Runs a command on the database; if the PGlite folder is held by a running server, the command is
 * sent to that server's API instead (a second process must never open the folder).
 */
async function runOrForward<T>(
  config: Config,
  command: string,
  work: (ctx: AppContext) => Promise<T>,
  body: unknown,
): Promise<T> {
  try {
    return await withContext(config, command, work);
  } catch (error) {
    const url =
      error instanceof AppError && error.code === 'DATA_DIR_LOCKED'
        ? (error.details as { owner?: { url?: string } })?.owner?.url
        : undefined;
    if (!url) throw error;
    const response = await fetch(`${url}/api/${command}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-clientele-operator': readOperatorSecret(config.dataDir) ?? '',
      },
      body: JSON.stringify(body),
    });
    const payload = (await response.json()) as T & {
      error?: { code: string; message: string; details?: unknown };
    };
    if (!response.ok && payload.error) {
      throw new AppError(
        payload.error.code as never,
        { zh: payload.error.message, en: `(via ${url})` },
        payload.error.details as never,
      );
    }
    return payload;
  }
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error, argv.includes('--json'));
  }
}
