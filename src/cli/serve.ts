import type { Config } from '../config.js';
import { writeLockUrl } from '../db/data-dir-lock.js';
import { buildApp } from '../http/app.js';
import { loadDemoData } from '../modules/demo/load-demo-data.js';
import { openContext } from './open-context.js';

/** `clientele serve`: the API and web app on one port, until SIGINT or SIGTERM. */
export async function runServer(config: Config, options: { demo?: boolean } = {}): Promise<void> {
  const ctx = await openContext(config, 'serve');
  const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  if (options.demo && rows[0]?.n === 0) await loadDemoData(ctx);
  const app = await buildApp(ctx, {
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
        : ''),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await ctx.db.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
