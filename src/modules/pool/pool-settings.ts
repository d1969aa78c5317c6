/**
 * Rules of the customer pool (公海), kept under the key `pool` of the settings table. Keys not
 * stored take their defaults; automatic recycling is off until an administrator turns it on, so
 * an upgrade never starts moving customers away from their owners by itself.
 */
import { z } from 'zod';
import type { Queryable } from '../../db/database.js';
import { validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { recordAudit } from '../audit/audit-log.js';

export const POOL_SETTINGS_KEY = 'pool';

export const poolSettingsSchema = z.object({
  /** Customers one user may claim (领取) per day, China time. */
  dailyClaimLimit: z.int().min(0).max(100_000),
  /** 库容: the most customers one user may own; null = no limit. Claims and assignments respect it. */
  holdingLimit: z.int().min(1).max(10_000_000).nullable(),
  /** Days without a follow-up after which a customer returns to the pool (unless its tier says otherwise). */
  defaultRecycleDays: z.int().min(1).max(3660),
  /** The owner is warned this many days before; a customer is never recycled less than this after the warning. */
  warnDaysBefore: z.int().min(0).max(365),
  /** Days during which the previous owner may not claim back a customer that left them. */
  noReclaimDays: z.int().min(0).max(3660),
  /** The tier scheme whose cadences.recycleAfterDays set the days per tier. */
  scheme: z.string().min(1).max(63).nullable(),
  /** Whether the server recycles by itself every day (`clientele pool recycle` works either way). */
  autoRecycle: z.boolean(),
});
export type PoolSettings = z.infer<typeof poolSettingsSchema>;

export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  dailyClaimLimit: 20,
  holdingLimit: null,
  defaultRecycleDays: 30,
  warnDaysBefore: 3,
  noReclaimDays: 30,
  scheme: null,
  autoRecycle: false,
};

export async function getPoolSettings(db: Queryable): Promise<PoolSettings> {
  const { rows } = await db.query<{ value: Partial<PoolSettings> }>(
    'SELECT value FROM settings WHERE key = $1',
    [POOL_SETTINGS_KEY],
  );
  return { ...DEFAULT_POOL_SETTINGS, ...(rows[0]?.value ?? {}) };
}

/**
 * Locks the pool settings row until the transaction ends (creating it with the defaults first):
 * recycling runs one at a time, whatever the number of server processes.
 */
export async function lockPoolSettings(tx: Queryable): Promise<PoolSettings> {
  await tx.query(`INSERT INTO settings (key, value) VALUES ($1, '{}'::jsonb) ON CONFLICT (key) DO NOTHING`, [
    POOL_SETTINGS_KEY,
  ]);
  await tx.query('SELECT 1 FROM settings WHERE key = $1 FOR UPDATE', [POOL_SETTINGS_KEY]);
  return getPoolSettings(tx);
}

/** Changes the pool rules: keys sent replace the stored ones, keys not sent are kept. */
export async function updatePoolSettings(ctx: AppContext, input: unknown): Promise<PoolSettings> {
  const changes = parseOrThrow(poolSettingsSchema.partial().strict(), input);
  return ctx.db.transaction(async (tx) => {
    const before = await lockPoolSettings(tx);
    const after: PoolSettings = { ...before, ...changes };
    if (after.warnDaysBefore >= after.defaultRecycleDays) {
      throw validationError([
        {
          field: 'warnDaysBefore',
          message: `须小于回收天数 ${after.defaultRecycleDays} / Must be less than the recycle days (${after.defaultRecycleDays})`,
        },
      ]);
    }
    if (after.scheme !== null) {
      const { rows } = await tx.query('SELECT 1 FROM tier_schemes WHERE id = $1', [after.scheme]);
      if (rows.length === 0) {
        throw validationError([
          { field: 'scheme', message: `分级方案 ${after.scheme} 不存在 / No tier scheme ${after.scheme}` },
        ]);
      }
    }
    await tx.query('UPDATE settings SET value = $2, updated_at = $3 WHERE key = $1', [
      POOL_SETTINGS_KEY,
      JSON.stringify(after),
      ctx.now().toISOString(),
    ]);
    await recordAudit(tx, ctx.actor, { action: 'settings.pool', details: { before, after } }, ctx.now());
    return after;
  });
}
