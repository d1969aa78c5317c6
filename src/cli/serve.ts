import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { writeLockUrl, writeOperatorSecret } from '../db/data-dir-lock.js';
import { buildApp } from '../http/app.js';
import { addUser } from '../modules/access/users.js';
import { loadDemoData } from '../modules/demo/load-demo-data.js';
import { startFollowupScheduler } from '../modules/followups/daily-followups.js';
import { startReviewScheduler } from '../modules/tiers/scheduler.js';
import type { AppContext } from '../shared/context.js';
import { openContext } from './open-context.js';

/**
 * On the very first start there is no account: create `admin` with a random password printed once
 * (never a default password). Later starts find the user and do nothing.
 */
async function createFirstAdmin(ctx: AppContext): Promise<string | undefined> {
  const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  if ((rows[0]?.n ?? 0) > 0) return undefined;
  const password = randomBytes(12).toString('base64url');
  await addUser(ctx, { username: 'admin', role: 'admin', password, displayName: '管理员' });
  return password;
}

/** `clientele serve`: the API and web app on one port, until SIGINT or SIGTERM. */
export async function runServer(config: Config, options: { demo?: boolean } = {}): Promise<void> {
  const ctx = await openContext(config, 'serve');
  const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  if (options.demo && rows[0]?.n === 0) await loadDemoData(ctx);
  const firstAdmin = await createFirstAdmin(ctx);
  // A fresh secret each start: only a CLI that can read the data folder may act through this server.
  const operatorSecret = config.databaseUrl ? undefined : randomBytes(32).toString('base64url');
  if (operatorSecret) writeOperatorSecret(config.dataDir, operatorSecret);
  const app = await buildApp(ctx, {
    operatorSecret,
    bodyLimit: config.bodyLimit,
    logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const port = new URL(address).port;
  const url = `http://localhost:${port}`;
  if (!config.databaseUrl) writeLockUrl(config.dataDir, url);
  process.stdout.write(
    `Clientele 已启动 / running at ${url}\n数据库 / database: ${ctx.db.kind} ${ctx.db.location}\n` +
      (rows[0]?.n === 0 && !options.demo
        ? '数据库为空：运行 npx clientele demo 载入演示数据 / Empty database: run npx clientele demo for demo data\n'
        : '') +
      (firstAdmin
        ? `\n首次启动：已创建管理员 admin，一次性密码（只显示这一次）：${firstAdmin}\n` +
          `First start: created user admin with this one-time password (shown only now): ${firstAdmin}\n` +
          '登录后可用 npx clientele users add 添加其他用户 / Add more users with npx clientele users add\n'
        : ''),
  );
  // Tier reviews at each scheme's cadence, caught up after downtime (see tiers/scheduler.ts).
  const stopScheduler = startReviewScheduler(ctx, {
    log: (runs) => {
      for (const run of runs) {
        process.stdout.write(
          run.skipped
            ? `等级评审跳过 / tier review skipped: ${run.scheme} ${run.period} (${run.skipped})\n`
            : `等级评审 / tier review: ${run.scheme} ${run.period} as of ${run.asOf}, ${run.changes} changes\n`,
        );
      }
    },
  });
  // Daily: cadence follow-up plans, and recycling to the pool when turned on (followups/daily-followups.ts).
  const stopFollowups = startFollowupScheduler(ctx, {
    log: (run) => process.stdout.write(`跟进与公海 / follow-ups and pool: ${JSON.stringify(run)}\n`),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopScheduler();
    await stopFollowups();
    await app.close();
    await ctx.db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
