/**
 * Turns a scheme into one SQL statement that evaluates every customer at an as-of date: one pass
 * over the transactions computes every metric (FILTERed aggregates per window), rank metrics are
 * window functions over all customers, the rules become one CASE in priority order, and locks,
 * protection periods and step limits are applied in SQL. Nothing but the changes leaves the
 * database, so memory stays flat however many customers there are.
 */
import { addDays, addMonths, completeMonth, type DateRange } from '../../domain/tiers/calendar.js';
import {
  aggregateMeasures,
  type Condition,
  type CustomFieldKinds,
  fieldKinds,
  type MetricDefinition,
  metricKind,
  type Scheme,
} from '../../domain/tiers/scheme.js';

export interface EvaluationOptions {
  schemeId: string;
  asOf: string;
  /** The table holding the current assignments (tier_assignments, or a backtest's temporary copy). */
  stateTable: string;
  customKinds: CustomFieldKinds;
}

export interface MetricColumns {
  name: string;
  /** The SQL expressions (over the `decided` row) whose text is reported; one per month for series. */
  expressions: string[];
  series: boolean;
}

export interface EvaluationSql {
  /** Columns: customer_id, code, cur_tier, new_tier, rule, stepped, metrics (jsonb). Changes only. */
  sql: string;
  params: unknown[];
}

class Params {
  readonly values: unknown[] = [];
  private readonly seen = new Map<string, string>();
  add(value: unknown, type: string): string {
    const key = `${type}:${JSON.stringify(value)}`;
    const known = this.seen.get(key);
    if (known) return known;
    this.values.push(value);
    const ref = `$${this.values.length}::${type}`;
    this.seen.set(key, ref);
    return ref;
  }
}

/** The date range a metric window covers at `asOf`; `from` null for lifetime. */
export function windowRange(
  window: NonNullable<MetricDefinition['window']>,
  asOf: string,
): { from: string | null; to: string } {
  switch (window.type) {
    case 'lifetime':
      return { from: null, to: asOf };
    case 'days':
      return { from: addDays(asOf, 1 - window.days), to: asOf };
    case 'months':
      return { from: addDays(addMonths(asOf, -window.months), 1), to: asOf };
    case 'year': {
      const year = Number(asOf.slice(0, 4)) + window.offset;
      return window.offset === 0
        ? { from: `${year}-01-01`, to: asOf }
        : { from: `${year}-01-01`, to: `${year}-12-31` };
    }
    case 'monthSeries': {
      const oldest = completeMonth(asOf, window.months);
      return { from: oldest.from, to: completeMonth(asOf, 1).to };
    }
  }
}

function aggregateExpression(measure: string, filter: string): string {
  switch (measure) {
    case 'spend':
      return `sum(t.amount)${filter}`;
    case 'orders':
      return `count(*)${filter}`;
    case 'quantity':
      // numeric(14,3) sums print as 31.000; nights and pieces read better as 31
      return `trim_scale(sum(t.quantity)${filter})`;
    case 'avgOrder':
      return `round(avg(t.amount)${filter}, 2)`;
    case 'maxOrder':
      return `max(t.amount)${filter}`;
    default:
      return `count(DISTINCT t.occurred_on)${filter}`;
  }
}

/** Measures that are 0, not unknown, for a customer without transactions in the window (money as 0.00). */
const ZERO_WHEN_NONE: Record<string, string> = {
  spend: '0.00',
  orders: '0',
  quantity: '0',
  purchaseDays: '0',
};

export function compileEvaluation(scheme: Scheme, options: EvaluationOptions): EvaluationSql {
  const p = new Params();
  const asOf = p.add(options.asOf, 'date');
  const aggregates: string[] = [];
  const baseColumns: string[] = [];
  const rankColumns: string[] = [];
  const reported: MetricColumns[] = [];
  let lowerBound: string | null | undefined;
  let needsLast = false;
  let needsFirst = false;

  const filterFor = (range: DateRange | { from: string | null; to: string }): string => {
    if (range.from === null && range.to === options.asOf) return '';
    if (lowerBound !== null && range.from !== null && (lowerBound === undefined || range.from < lowerBound)) {
      lowerBound = range.from;
    }
    const lower = range.from === null ? '' : `t.occurred_on >= ${p.add(range.from, 'date')} AND `;
    return ` FILTER (WHERE ${lower}t.occurred_on <= ${p.add(range.to, 'date')})`;
  };

  for (const [name, def] of Object.entries(scheme.metrics)) {
    const column = `m_${name}`;
    if ((aggregateMeasures as readonly string[]).includes(def.measure) && def.window) {
      const zero = ZERO_WHEN_NONE[def.measure];
      if (def.window.type === 'lifetime') lowerBound = null;
      if (def.window.type === 'monthSeries') {
        const expressions: string[] = [];
        for (let k = 1; k <= def.window.months; k += 1) {
          const agg = `a_${name}_${k}`;
          aggregates.push(
            `${aggregateExpression(def.measure, filterFor(completeMonth(options.asOf, k)))} AS ${agg}`,
          );
          baseColumns.push(`${zero ? `coalesce(a.${agg}, ${zero})` : `a.${agg}`} AS ${column}_${k}`);
          expressions.push(`${column}_${k}`);
        }
        reported.push({ name, expressions, series: true });
        continue;
      }
      const agg = `a_${name}`;
      aggregates.push(
        `${aggregateExpression(def.measure, filterFor(windowRange(def.window, options.asOf)))} AS ${agg}`,
      );
      baseColumns.push(`${zero ? `coalesce(a.${agg}, ${zero})` : `a.${agg}`} AS ${column}`);
    } else if (def.measure === 'daysSinceLastPurchase') {
      needsLast = true;
      baseColumns.push(`(${asOf} - a.last_on) AS ${column}`);
    } else if (def.measure === 'tenureDays') {
      needsFirst = true;
      baseColumns.push(
        `(${asOf} - least((c.created_at AT TIME ZONE 'Asia/Shanghai')::date, c.first_contact_on, c.cooperation_start_on, a.first_on)) AS ${column}`,
      );
    } else if (def.measure === 'field') {
      const field = def.field ?? '';
      if (field.startsWith('custom.')) {
        const key = p.add(field.slice(7), 'text');
        baseColumns.push(
          metricKind(def, options.customKinds) === 'number'
            ? `CASE WHEN jsonb_typeof(c.custom -> ${key}) = 'number' THEN (c.custom ->> ${key})::numeric END AS ${column}`
            : `(c.custom ->> ${key}) AS ${column}`,
        );
      } else {
        const spec = fieldKinds[field];
        if (!spec) throw new Error(`unknown field ${field}`);
        baseColumns.push(`c.${spec.column}${spec.kind === 'text' ? '::text' : '::numeric'} AS ${column}`);
      }
    } else if (def.measure === 'shareBefore') {
      const of = `m_${def.of}`;
      rankColumns.push(
        `coalesce(sum(${of}) OVER (ORDER BY ${of} DESC NULLS LAST, code ASC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS ${column}_before`,
        `sum(${of}) OVER () AS ${column}_total`,
      );
      reported.push({
        name,
        expressions: [`round(${column}_before / nullif(${column}_total, 0), 4)`],
        series: false,
      });
      continue;
    }
    reported.push({ name, expressions: [column], series: false });
  }
  if (needsLast) aggregates.push('max(t.occurred_on) AS last_on');
  if (needsFirst) aggregates.push('min(t.occurred_on) AS first_on');

  const ctx: ConditionContext = { scheme, p, kinds: options.customKinds };
  const ruleCases = scheme.rules
    .map((rule, i) => `WHEN ${compileCondition(rule.when, ctx)} THEN ${i + 1}`)
    .join(' ');
  const targetCases = scheme.rules
    .map((rule, i) => `WHEN ${i + 1} THEN ${rule.to === 'hold' ? 'eval_tier' : p.add(rule.to, 'text')}`)
    .join(' ');
  const otherwise = scheme.otherwise === 'hold' ? 'eval_tier' : p.add(scheme.otherwise, 'text');
  const order = scheme.tiers.map((tier) => tier.key);
  const ordinal = (expr: string) => `array_position(${p.add(order, 'text[]')}, ${expr})`;

  const transactions =
    aggregates.length === 0
      ? ''
      : `LEFT JOIN (
      SELECT t.customer_id, ${aggregates.join(', ')}
      FROM transactions t
      WHERE t.occurred_on <= ${asOf}${lowerBound ? ` AND t.occurred_on >= ${p.add(lowerBound, 'date')}` : ''}
      GROUP BY t.customer_id
    ) a ON a.customer_id = c.id`;
  const scheme$ = p.add(options.schemeId, 'text');

  // Protection: a demotion within protectionDays of the last promotion keeps the tier.
  const protectedExpr = scheme.protectionDays
    ? `(ord_proposed < ord_eval AND eval_promoted_on IS NOT NULL AND eval_promoted_on > ${asOf} - ${p.add(scheme.protectionDays, 'int')})`
    : 'false';
  const steppedExpr = scheme.maxStep
    ? `(ord_eval IS NOT NULL AND ord_proposed IS NOT NULL AND abs(ord_proposed - ord_eval) > ${p.add(scheme.maxStep, 'int')})`
    : 'false';
  const stepTarget = scheme.maxStep
    ? `(${p.add(order, 'text[]')})[ord_eval + sign(ord_proposed - ord_eval)::int * ${p.add(scheme.maxStep, 'int')}]`
    : 'proposed';

  const metricsJson = reported
    .map(
      (metric) =>
        `${p.add(metric.name, 'text')}, ${
          metric.series
            ? `jsonb_build_array(${metric.expressions.map((e) => `${e}::text`).join(', ')})`
            : `to_jsonb(${metric.expressions[0]}::text)`
        }`,
    )
    .join(', ');

  const sql = `WITH base AS (
    SELECT c.id AS customer_id, c.code,
      s.tier AS cur_tier,
      CASE WHEN s.changed_on = ${asOf} THEN s.prev_tier ELSE s.tier END AS eval_tier,
      CASE WHEN s.changed_on = ${asOf} THEN s.prev_promoted_on ELSE s.promoted_on END AS eval_promoted_on,
      coalesce(s.locked AND (s.lock_until IS NULL OR s.lock_until >= ${asOf}), false) AS is_locked${
        baseColumns.length > 0 ? `,\n      ${baseColumns.join(',\n      ')}` : ''
      }
    FROM customers c
    ${transactions}
    LEFT JOIN ${options.stateTable} s ON s.customer_id = c.id AND s.scheme_id = ${scheme$}
    WHERE c.erased_at IS NULL
      AND least((c.created_at AT TIME ZONE 'Asia/Shanghai')::date, c.first_contact_on, c.cooperation_start_on, c.first_purchase_on) <= ${asOf}
  ), ranked AS (
    SELECT b.*${rankColumns.length > 0 ? `, ${rankColumns.join(', ')}` : ''} FROM base b
  ), fired AS (
    SELECT r.*, CASE ${ruleCases || 'WHEN false THEN 0'} ELSE 0 END AS rule_no FROM ranked r
  ), proposed AS (
    SELECT f.*, CASE f.rule_no ${targetCases || 'WHEN -1 THEN eval_tier'} ELSE ${otherwise} END AS proposed FROM fired f
  ), ordered AS (
    SELECT q.*, ${ordinal('q.eval_tier')} AS ord_eval, ${ordinal('q.proposed')} AS ord_proposed FROM proposed q
  ), decided AS (
    SELECT o.*,
      CASE WHEN is_locked THEN cur_tier WHEN ${protectedExpr} THEN eval_tier WHEN ${steppedExpr} THEN ${stepTarget} ELSE proposed END AS new_tier,
      (NOT is_locked AND NOT ${protectedExpr} AND ${steppedExpr}) AS stepped
    FROM ordered o
  )
  SELECT customer_id, code, cur_tier, new_tier,
    CASE WHEN rule_no = 0 THEN 'otherwise' ELSE (${p.add(
      scheme.rules.map((rule) => rule.id),
      'text[]',
    )})[rule_no] END AS rule,
    stepped,
    ${metricsJson ? `jsonb_build_object(${metricsJson})` : `'{}'::jsonb`} AS metrics
  FROM decided
  WHERE new_tier IS NOT NULL AND new_tier IS DISTINCT FROM cur_tier`;
  return { sql, params: p.values };
}

interface ConditionContext {
  scheme: Scheme;
  p: Params;
  kinds: CustomFieldKinds;
}

const SQL_OPS: Record<string, string> = { '>': '>', '>=': '>=', '<': '<', '<=': '<=', '=': '=', '!=': '<>' };

export function compileCondition(condition: Condition, ctx: ConditionContext): string {
  if ('all' in condition) return `(${condition.all.map((c) => compileCondition(c, ctx)).join(' AND ')})`;
  if ('any' in condition) return `(${condition.any.map((c) => compileCondition(c, ctx)).join(' OR ')})`;
  if ('not' in condition) return `(NOT ${compileCondition(condition.not, ctx)})`;
  if ('always' in condition) return 'true';
  if ('tier' in condition) {
    return condition.tier === null
      ? '(eval_tier IS NULL)'
      : `coalesce(eval_tier = ANY(${ctx.p.add(condition.tier, 'text[]')}), false)`;
  }
  const def = ctx.scheme.metrics[condition.metric];
  if (!def) throw new Error(`unknown metric ${condition.metric}`);
  const column = `m_${condition.metric}`;
  if ('in' in condition) return `coalesce(${column} = ANY(${ctx.p.add(condition.in, 'text[]')}), false)`;
  const op = SQL_OPS[condition.op] as string;
  if (metricKind(def, ctx.kinds) === 'text') {
    return `coalesce(${column} ${op} ${ctx.p.add(condition.value, 'text')}, false)`;
  }
  const value = ctx.p.add(condition.value, 'numeric');
  if (def.measure === 'shareBefore') {
    // Exact: before < v × total, never a rounded quotient.
    return `coalesce(${column}_total > 0 AND ${column}_before ${op} ${value} * ${column}_total, false)`;
  }
  if (condition.each !== undefined) {
    const parts: string[] = [];
    for (let k = 1; k <= condition.each; k += 1) parts.push(`coalesce(${column}_${k} ${op} ${value}, false)`);
    return `(${parts.join(' AND ')})`;
  }
  if (condition.period !== undefined) return `coalesce(${column}_${condition.period} ${op} ${value}, false)`;
  return `coalesce(${column} ${op} ${value}, false)`;
}
