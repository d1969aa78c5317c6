import type { Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { cliActor } from '../modules/access/actor.js';
import { loadKeyring } from '../modules/access/keys.js';
import { encryptLegacyPersonalData } from '../modules/customers/encrypt-personal-data.js';
import type { AppContext } from '../shared/context.js';

/** Opens the configured database (server if DATABASE_URL is set, else the PGlite folder) and migrates it. */
export async function openContext(config: Config, command: string): Promise<AppContext> {
  const db = config.databaseUrl
    ? await openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : await openDatabase({ kind: 'pglite', dataDir: config.dataDir, command });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const ctx: AppContext = { db, now: () => new Date(), actor: cliActor(), keyring: loadKeyring(config) };
  await encryptLegacyPersonalData(ctx);
  return ctx;
}
