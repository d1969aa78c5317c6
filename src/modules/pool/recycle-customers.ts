/**
 * Recycling (回收): customers whose owner has not followed them up — no communication and no done
 * follow-up — within N days return to the pool. N is the tier's cadences.recycleAfterDays in the
 * scheme named by the pool settings, else the default. The clock starts at the latest of the last
 * contact, the last done follow-up and the day the owner got the customer. Owners are warned
 * (pool_events 'warn', shown in their due reminders) `warnDaysBefore` days ahead, and a customer is
 * never recycled sooner than that after its warning. Locked customers (锁定) are exempt.
 *
 * Everything is set-based: one statement decides, a few write warnings, owners, history and pool
 * events; the pool settings row is locked meanwhile, so two servers never recycle at once.
 */
import type { Queryable } from '../../db/database.js';
import type { Scheme } from '../../domain/tiers/scheme.js';
import { type AppContext, localDate } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';
import { bindNamed } from '../followups/cadence-plans.js';
import { lockPoolSettings, type PoolSettings } from './pool-settings.js';

export interface RecycledCustomer {
  customerId: number;
  customer: string;
  name: string;
  owner: string | null;
  /** When the N days started: last contact, last done follow-up, or taking over the customer. */
  since: string;
  days: number;
  reason: string;
}

export interface RecycleWarning {
  customerId: number;
  customer: string;
  name: string;
  owner: string | null;
  recycleOn: string;
}

export interface RecycleResult {
  dryRun: boolean;
  date: string;
  recycled: RecycledCustomer[];
  warnings: RecycleWarning[];
}

async function run<Row>(tx: Queryable, sql: string, values: Record<string, unknown>) {
  const { text, params } = bindNamed(sql, values);
  return tx.query<Row>(text, params);
}

async function recycleDaysByTier(tx: Queryable, settings: PoolSettings): Promise<[string[], number[]]> {
  if (settings.scheme === null) return [[], []];
  const { rows } = await tx.query<{ definition: Scheme }>(
    `SELECT v.definition FROM tier_schemes s
     JOIN tier_scheme_versions v ON v.scheme_id = s.id AND v.version = s.current_version WHERE s.id = $1`,
    [settings.scheme],
  );
  const entries = Object.entries(rows[0]?.definition.cadences ?? {}).filter(
    ([, cadence]) => cadence.recycleAfterDays !== undefined,
  );
  return [entries.map(([tier]) => tier), entries.map(([, cadence]) => cadence.recycleAfterDays as number)];
}

/**
 * Warns and recycles as of now. With `dryRun` it reports what it would do and writes nothing.
 */
export async function recycleCustomers(
  ctx: AppContext,
  options: { dryRun?: boolean } = {},
): Promise<RecycleResult> {
  const dryRun = options.dryRun ?? false;
  const today = localDate(ctx.now());
  return ctx.db.transaction(async (tx) => {
    const settings = await lockPoolSettings(tx);
    const [tiers, days] = await recycleDaysByTier(tx, settings);
    const values = {
      tiers,
      days,
      scheme: settings.scheme ?? '',
      defaultDays: settings.defaultRecycleDays,
      warnDays: settings.warnDaysBefore,
      today,
      now: ctx.now().toISOString(),
      actor: ctx.actor.name,
    };
    await run(
      tx,
      `CREATE TEMP TABLE pool_recycle_plan ON COMMIT DROP AS
       WITH cad AS (SELECT * FROM unnest(@tiers::text[], @days::int[]) AS x(tier, days)),
       owned AS (
         SELECT c.id, c.code, c.name, c.owner_id, c.created_at, c.last_contacted_at,
           coalesce(cad.days, @defaultDays::int) AS n
         FROM customers c
         LEFT JOIN tier_assignments a ON a.customer_id = c.id AND a.scheme_id = @scheme::text
         LEFT JOIN cad ON cad.tier = a.tier
         WHERE c.owner_id IS NOT NULL AND NOT c.pool_locked AND c.erased_at IS NULL
       ),
       done AS (SELECT customer_id, max(completed_at) AS at FROM followups WHERE status = 'done' GROUP BY customer_id),
       taken AS (
         SELECT customer_id, to_user_id, max(at) AS at FROM ownership_transfers
         WHERE to_user_id IS NOT NULL GROUP BY customer_id, to_user_id
       ),
       warned AS (
         SELECT customer_id, user_id, max(at) AS at FROM pool_events WHERE kind = 'warn' GROUP BY customer_id, user_id
       ),
       based AS (
         SELECT o.*, greatest(o.last_contacted_at, d.at, coalesce(t.at, o.created_at)) AS base_at, w.at AS warned_at
         FROM owned o
         LEFT JOIN done d ON d.customer_id = o.id
         LEFT JOIN taken t ON t.customer_id = o.id AND t.to_user_id = o.owner_id
         LEFT JOIN warned w ON w.customer_id = o.id AND w.user_id = o.owner_id
       ),
       dated AS (
         SELECT b.*, ((b.base_at AT TIME ZONE 'UTC') + interval '8 hours')::date + b.n AS due_on,
           CASE WHEN b.warned_at >= b.base_at THEN ((b.warned_at AT TIME ZONE 'UTC') + interval '8 hours')::date END
             AS warned_on
         FROM based b
       ),
       decided AS (
         SELECT d.*,
           CASE WHEN @today::date >= d.due_on
                  AND (@warnDays::int = 0 OR d.warned_on + @warnDays::int <= @today::date) THEN 'recycle'
                WHEN @warnDays::int > 0 AND d.warned_on IS NULL THEN 'warn' END AS action,
           greatest(d.due_on, coalesce(d.warned_on, @today::date) + @warnDays::int) AS recycle_on
         FROM dated d
         WHERE @today::date >= d.due_on - @warnDays::int
       )
       SELECT id AS customer_id, code, name, owner_id, last_contacted_at, base_at, n, action, recycle_on
       FROM decided WHERE action IS NOT NULL`,
      values,
    );

    let moved: number[] | null = null;
    if (!dryRun) {
      await run(
        tx,
        `INSERT INTO pool_events (customer_id, kind, user_id, reason, actor, at)
         SELECT customer_id, 'warn', owner_id,
           '将于 ' || recycle_on || ' 回收到公海（' || n || ' 天未跟进） / Returns to the pool on ' || recycle_on
             || ' (no follow-up for ' || n || ' days)',
           @actor, @now
         FROM pool_recycle_plan WHERE action = 'warn'`,
        values,
      );
      const { rows } = await run<{ id: number }>(
        tx,
        `WITH moved AS (
           UPDATE customers c SET owner_id = NULL, version = c.version + 1, updated_at = @now
           FROM pool_recycle_plan p
           WHERE p.action = 'recycle' AND c.id = p.customer_id AND c.owner_id = p.owner_id AND NOT c.pool_locked
             AND c.last_contacted_at IS NOT DISTINCT FROM p.last_contacted_at
           RETURNING c.id, p.owner_id,
             p.n || ' 天未跟进，回收到公海 / No follow-up for ' || p.n || ' days: returned to the pool' AS reason
         ), history AS (
           INSERT INTO ownership_transfers (customer_id, from_user_id, to_user_id, actor, reason, at)
           SELECT id, owner_id, NULL, @actor, reason, @now FROM moved
         ), events AS (
           INSERT INTO pool_events (customer_id, kind, user_id, reason, actor, at)
           SELECT id, 'recycle', owner_id, reason, @actor, @now FROM moved
         ), plans AS (
           UPDATE followups f SET owner_id = NULL, updated_at = @now FROM moved
           WHERE f.customer_id = moved.id AND f.status = 'planned' AND f.owner_id = moved.owner_id
         )
         SELECT id FROM moved ORDER BY id`,
        values,
      );
      moved = rows.map((row) => row.id);
    }

    const { rows } = await tx.query<
      RecycledCustomer & RecycleWarning & { action: 'warn' | 'recycle'; n: number; recycle_on: string }
    >(
      `SELECT p.customer_id AS "customerId", p.code AS customer, p.name, u.username AS owner, p.base_at AS since,
         p.n, p.action, p.recycle_on
       FROM pool_recycle_plan p LEFT JOIN users u ON u.id = p.owner_id ORDER BY p.code`,
    );
    const result: RecycleResult = { dryRun, date: today, recycled: [], warnings: [] };
    const movedSet = moved === null ? null : new Set(moved);
    for (const row of rows) {
      if (row.action === 'warn') {
        result.warnings.push({
          customerId: row.customerId,
          customer: row.customer,
          name: row.name,
          owner: row.owner,
          recycleOn: row.recycle_on,
        });
      } else if (movedSet === null || movedSet.has(row.customerId)) {
        result.recycled.push({
          customerId: row.customerId,
          customer: row.customer,
          name: row.name,
          owner: row.owner,
          since: row.since,
          days: row.n,
          reason: `${row.n} 天未跟进，回收到公海 / No follow-up for ${row.n} days: returned to the pool`,
        });
      }
    }
    if (!dryRun && (result.recycled.length > 0 || result.warnings.length > 0)) {
      await recordAudit(
        tx,
        ctx.actor,
        {
          action: 'pool.recycle',
          details: {
            date: today,
            recycled: result.recycled.map((item) => ({
              customerId: item.customerId,
              customer: item.customer,
              owner: item.owner,
            })),
            warned: result.warnings.length,
          },
        },
        ctx.now(),
      );
    }
    return result;
  });
}
