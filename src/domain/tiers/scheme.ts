/**
 * A tier scheme (分级方案), written as JSON: ordered tiers, the metrics it measures, the rules in
 * priority order, and how reviews behave. `parseScheme` refuses an invalid scheme with the path of
 * every bad part and what is wrong with it, in Chinese and English.
 */
import { z } from 'zod';
import type { FieldIssue } from '../../shared/app-error.js';
import { followupMethods } from '../followups/methods.js';

const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const NAME = /^[a-z][a-z0-9_]{0,39}$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;

export const bilingualText = z.object({
  zh: z.string().trim().min(1).max(500),
  en: z.string().trim().min(1).max(500),
});
export type BilingualText = z.infer<typeof bilingualText>;

export const windowSchema = z.discriminatedUnion('type', [
  /** Everything up to the as-of date. */
  z.object({ type: z.literal('lifetime') }),
  /** The N days ending on the as-of date D, inclusive: D−N+1 … D. */
  z.object({ type: z.literal('days'), days: z.int().min(1).max(3660) }),
  /** The N calendar months ending on D: the day after D minus N months … D. */
  z.object({ type: z.literal('months'), months: z.int().min(1).max(120) }),
  /** A calendar year: 0 = D's year up to D; −1 = the whole year before, and so on. */
  z.object({ type: z.literal('year'), offset: z.int().min(-10).max(0).default(0) }),
  /** One value per complete calendar month, m1 = the latest month whose last day ≤ D, m2 before it… */
  z.object({ type: z.literal('monthSeries'), months: z.int().min(1).max(36) }),
]);
export type MetricWindow = z.infer<typeof windowSchema>;

/** Measures over the customer's transactions in a window. */
export const aggregateMeasures = [
  'spend',
  'orders',
  'quantity',
  'avgOrder',
  'maxOrder',
  'purchaseDays',
] as const;
export const measures = [
  ...aggregateMeasures,
  'daysSinceLastPurchase',
  'tenureDays',
  'field',
  'shareBefore',
] as const;
export type Measure = (typeof measures)[number];

export const metricSchema = z.object({
  measure: z.enum(measures),
  window: windowSchema.optional(),
  /** `field`: a standard customer field or `custom.<key>`. */
  field: z.string().optional(),
  /** `shareBefore`: the metric whose descending ranking is measured (the A/B/C cumulative share). */
  of: z.string().optional(),
  label: bilingualText.optional(),
});
export type MetricDefinition = z.infer<typeof metricSchema>;

export const comparisonOps = ['>', '>=', '<', '<=', '=', '!='] as const;
export type ComparisonOp = (typeof comparisonOps)[number];

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { always: true }
  | { tier: string[] | null }
  | { metric: string; op: ComparisonOp; value: string; each?: number; period?: number }
  | { metric: string; in: string[] };

export const tierSchema = z.object({
  key: z.string().regex(KEY, 'letters, digits, _ or -, at most 32'),
  name: bilingualText,
  rank: z.int().min(0).max(1000),
  benefits: bilingualText.optional(),
});
export type TierDefinition = z.infer<typeof tierSchema>;

export const ruleSchema = z.object({
  id: z.string().regex(NAME, 'lower-case letters, digits and _'),
  to: z.string(),
  when: z.unknown(),
  reason: bilingualText,
});

export const cadences = ['manual', 'monthly', 'quarterly', 'half-yearly', 'yearly'] as const;
export type Cadence = (typeof cadences)[number];

export const noticeTemplates = z.object({
  enabled: z.boolean().default(true),
  promotion: bilingualText.optional(),
  demotion: bilingualText.optional(),
  assignment: bilingualText.optional(),
});

/**
 * How often the customers of one tier are followed up (跟进频率), and after how many days without a
 * follow-up they return to the customer pool (公海). Exactly one of everyMonths / everyDays.
 */
export const followupCadenceSchema = z.object({
  everyMonths: z.int().min(1).max(60).optional(),
  everyDays: z.int().min(1).max(3660).optional(),
  method: z.enum(followupMethods),
  content: bilingualText.optional(),
  recycleAfterDays: z.int().min(1).max(3660).optional(),
});
export type FollowupCadence = z.infer<typeof followupCadenceSchema>;

export const schemeInputSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ or -'),
  name: bilingualText,
  description: bilingualText.optional(),
  tiers: z.array(tierSchema).min(2).max(20),
  metrics: z.record(z.string(), metricSchema),
  rules: z.array(ruleSchema).max(100),
  /** When no rule fires: keep the tier (`hold`) or assign this tier. */
  otherwise: z.string().default('hold'),
  cadence: z.enum(cadences).default('manual'),
  /** At most this many steps up or down per review (1 = one tier at a time). */
  maxStep: z.int().min(1).max(20).optional(),
  /** Days after a promotion during which no review demotes the customer. */
  protectionDays: z.int().min(1).max(3660).optional(),
  notices: noticeTemplates.optional(),
  /** Follow-up cadence per tier key (tiers without one are not planned). */
  cadences: z.record(z.string(), followupCadenceSchema).optional(),
});

export type SchemeInput = z.input<typeof schemeInputSchema>;

export interface RuleDefinition {
  id: string;
  to: string;
  when: Condition;
  reason: BilingualText;
}

export interface Scheme extends Omit<z.output<typeof schemeInputSchema>, 'rules'> {
  rules: RuleDefinition[];
}

/** Standard customer fields a rule may read, and whether they compare as numbers or as text. */
export const fieldKinds: Record<string, { column: string; kind: 'number' | 'text' }> = {
  totalSpent: { column: 'total_spent', kind: 'number' },
  orderCount: { column: 'order_count', kind: 'number' },
  birthYear: { column: 'birth_year', kind: 'number' },
  type: { column: 'type', kind: 'text' },
  stage: { column: 'stage', kind: 'text' },
  status: { column: 'status', kind: 'text' },
  vip: { column: 'vip', kind: 'text' },
  industry: { column: 'industry', kind: 'text' },
  source: { column: 'source', kind: 'text' },
  companySize: { column: 'company_size', kind: 'text' },
  province: { column: 'province', kind: 'text' },
  city: { column: 'city', kind: 'text' },
  gender: { column: 'gender', kind: 'text' },
  ageBand: { column: 'age_band', kind: 'text' },
  incomeLevel: { column: 'income_level', kind: 'text' },
  creditStatus: { column: 'credit_status', kind: 'text' },
};

/** Custom fields as the scheme validator needs them: key → number or text. */
export type CustomFieldKinds = Record<string, 'number' | 'text' | 'other'>;

export type MetricKind = 'number' | 'series' | 'text';

export function metricKind(def: MetricDefinition, custom: CustomFieldKinds): MetricKind {
  if (def.window?.type === 'monthSeries') return 'series';
  if (def.measure !== 'field' || !def.field) return 'number';
  if (def.field.startsWith('custom.')) return custom[def.field.slice(7)] === 'number' ? 'number' : 'text';
  return fieldKinds[def.field]?.kind ?? 'number';
}

const msg = (zh: string, en: string) => `${zh} / ${en}`;

/**
 * Parses and checks a scheme: shape first (zod), then every reference — tiers, metrics, rule
 * targets, conditions, reason placeholders. Returns the scheme, or the list of problems.
 */
export function parseScheme(
  input: unknown,
  custom: CustomFieldKinds = {},
): { ok: true; scheme: Scheme } | { ok: false; issues: FieldIssue[] } {
  const parsed = schemeInputSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || '(scheme)',
        message: issue.message,
      })),
    };
  }
  const scheme = parsed.data;
  const issues: FieldIssue[] = [];
  const add = (field: string, zh: string, en: string) => issues.push({ field, message: msg(zh, en) });

  const tierKeys = new Set<string>();
  const ranks = new Set<number>();
  scheme.tiers.forEach((tier, i) => {
    if (tierKeys.has(tier.key))
      add(`tiers.${i}.key`, `等级 ${tier.key} 重复`, `Tier ${tier.key} appears twice`);
    if (ranks.has(tier.rank))
      add(`tiers.${i}.rank`, `级别序号 ${tier.rank} 重复`, `Rank ${tier.rank} appears twice`);
    tierKeys.add(tier.key);
    ranks.add(tier.rank);
  });

  const kinds: Record<string, MetricKind> = {};
  for (const [name, def] of Object.entries(scheme.metrics)) {
    const path = `metrics.${name}`;
    if (!NAME.test(name)) {
      add(
        path,
        '指标名须为小写字母开头的字母、数字或 _',
        'Metric names are lower-case letters, digits and _',
      );
    }
    const aggregate = (aggregateMeasures as readonly string[]).includes(def.measure);
    if (aggregate && !def.window) add(`${path}.window`, '该指标需要时间窗口', 'This measure needs a window');
    if (!aggregate && def.window) add(`${path}.window`, '该指标没有时间窗口', 'This measure takes no window');
    if (def.measure === 'field') {
      const field = def.field ?? '';
      const customKey = field.startsWith('custom.') ? field.slice(7) : undefined;
      if (customKey !== undefined) {
        const kind = custom[customKey];
        if (kind === undefined)
          add(`${path}.field`, `自定义字段 ${customKey} 不存在`, `No custom field ${customKey}`);
        else if (kind === 'other') {
          add(
            `${path}.field`,
            '日期和多选字段不能用于规则',
            'Date and multi-select fields cannot be used in rules',
          );
        }
      } else if (!fieldKinds[field]) {
        add(
          `${path}.field`,
          `未知字段 ${field}，可用：${Object.keys(fieldKinds).join(', ')} 或 custom.<键>`,
          `Unknown field ${field}; use one of ${Object.keys(fieldKinds).join(', ')} or custom.<key>`,
        );
      }
    } else if (def.field !== undefined) {
      add(`${path}.field`, '只有 field 指标有字段', 'Only a field measure takes a field');
    }
    if (def.measure === 'shareBefore') {
      const of = def.of ? scheme.metrics[def.of] : undefined;
      if (!of || of.measure === 'shareBefore' || metricKind(of, custom) !== 'number') {
        add(`${path}.of`, '须为本方案中一个数值指标', 'Must name a numeric metric of this scheme');
      }
    } else if (def.of !== undefined) {
      add(`${path}.of`, '只有 shareBefore 指标有 of', 'Only a shareBefore measure takes of');
    }
    kinds[name] = metricKind(def, custom);
  }

  const seriesMonths: Record<string, number> = {};
  for (const [name, def] of Object.entries(scheme.metrics)) {
    if (def.window?.type === 'monthSeries') seriesMonths[name] = def.window.months;
  }
  const ruleIds = new Set<string>();
  const rules: RuleDefinition[] = scheme.rules.map((rule, i) => {
    const path = `rules.${i}`;
    if (ruleIds.has(rule.id)) add(`${path}.id`, `规则 ${rule.id} 重复`, `Rule ${rule.id} appears twice`);
    ruleIds.add(rule.id);
    if (rule.to !== 'hold' && !tierKeys.has(rule.to)) {
      add(`${path}.to`, `须为 hold 或本方案的等级`, `Must be hold or a tier of this scheme`);
    }
    checkPlaceholders(rule.reason, `${path}.reason`, kinds, add);
    const when = rule.when === undefined ? { always: true as const } : rule.when;
    return { ...rule, when: checkCondition(when, `${path}.when`, { kinds, seriesMonths, tierKeys, add }) };
  });
  if (scheme.otherwise !== 'hold' && !tierKeys.has(scheme.otherwise)) {
    add('otherwise', '须为 hold 或本方案的等级', 'Must be hold or a tier of this scheme');
  }
  for (const [key, cadence] of Object.entries(scheme.cadences ?? {})) {
    if (!tierKeys.has(key)) add(`cadences.${key}`, `未知等级 ${key}`, `Unknown tier ${key}`);
    if ((cadence.everyMonths === undefined) === (cadence.everyDays === undefined)) {
      add(
        `cadences.${key}`,
        '须给出 everyMonths（每 N 个月）或 everyDays（每 N 天）之一',
        'Give exactly one of everyMonths (every N months) and everyDays (every N days)',
      );
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    scheme: { ...scheme, tiers: [...scheme.tiers].sort((a, b) => a.rank - b.rank), rules },
  };
}

interface CheckEnv {
  kinds: Record<string, MetricKind>;
  /** Month-series metrics and how many months they keep. */
  seriesMonths: Record<string, number>;
  tierKeys: Set<string>;
  add: (field: string, zh: string, en: string) => void;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks one condition and returns its normal form (values as exact decimal strings). */
function checkCondition(value: unknown, path: string, env: CheckEnv): Condition {
  const { add } = env;
  const invalid: Condition = { always: true };
  if (!isObject(value)) {
    add(path, '条件须为对象', 'A condition must be an object');
    return invalid;
  }
  const keys = Object.keys(value);
  const only = (allowed: string[]) => {
    for (const key of keys) {
      if (!allowed.includes(key)) add(`${path}.${key}`, `多余的键 ${key}`, `Unexpected key ${key}`);
    }
  };
  for (const group of ['all', 'any'] as const) {
    if (group in value) {
      only([group]);
      const list = value[group];
      if (!Array.isArray(list) || list.length === 0) {
        add(`${path}.${group}`, '须为非空的条件列表', 'Must be a non-empty list of conditions');
        return invalid;
      }
      const items = list.map((item, i) => checkCondition(item, `${path}.${group}.${i}`, env));
      return group === 'all' ? { all: items } : { any: items };
    }
  }
  if ('not' in value) {
    only(['not']);
    return { not: checkCondition(value.not, `${path}.not`, env) };
  }
  if ('always' in value) {
    only(['always']);
    if (value.always !== true) add(`${path}.always`, '须为 true', 'Must be true');
    return { always: true };
  }
  if ('tier' in value) {
    only(['tier']);
    if (value.tier === null) return { tier: null };
    const list = value.tier;
    if (!Array.isArray(list) || list.length === 0 || !list.every((key) => typeof key === 'string')) {
      add(
        `${path}.tier`,
        '须为等级列表，或 null 表示尚无等级',
        'Must be a list of tiers, or null for no tier yet',
      );
      return invalid;
    }
    for (const key of list) {
      if (!env.tierKeys.has(key)) add(`${path}.tier`, `未知等级 ${key}`, `Unknown tier ${key}`);
    }
    return { tier: list as string[] };
  }
  if ('metric' in value) {
    const metric = value.metric;
    const kind = typeof metric === 'string' ? env.kinds[metric] : undefined;
    if (kind === undefined) {
      add(`${path}.metric`, `未知指标 ${String(metric)}`, `Unknown metric ${String(metric)}`);
      return invalid;
    }
    if ('in' in value) {
      only(['metric', 'in']);
      const list = value.in;
      if (kind !== 'text') add(`${path}.in`, 'in 只用于文本字段', 'in is only for text fields');
      if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string')) {
        add(`${path}.in`, '须为非空的文本列表', 'Must be a non-empty list of texts');
        return invalid;
      }
      return { metric: metric as string, in: list as string[] };
    }
    only(['metric', 'op', 'value', 'each', 'period']);
    const op = value.op;
    if (typeof op !== 'string' || !(comparisonOps as readonly string[]).includes(op)) {
      add(`${path}.op`, `须为 ${comparisonOps.join(' ')} 之一`, `Must be one of ${comparisonOps.join(' ')}`);
      return invalid;
    }
    const raw = value.value;
    let text: string;
    if (kind === 'text') {
      if (op !== '=' && op !== '!=')
        add(`${path}.op`, '文本只能用 = 或 !=', 'Text compares only with = or !=');
      text = typeof raw === 'boolean' ? String(raw) : String(raw ?? '');
      if (raw === undefined || typeof raw === 'object') {
        add(`${path}.value`, '须为文本', 'Must be a text');
      }
    } else {
      text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : String(raw ?? '');
      if ((typeof raw !== 'number' && typeof raw !== 'string') || !DECIMAL.test(text)) {
        add(`${path}.value`, '须为数字，如 500 或 99.99', 'Must be a number such as 500 or 99.99');
      }
    }
    const each = value.each;
    const period = value.period;
    if (kind === 'series') {
      const count = each ?? period;
      if (
        (each === undefined) === (period === undefined) ||
        !Number.isInteger(count) ||
        (count as number) < 1
      ) {
        add(
          path,
          '按月序列指标须给出 each（最近 N 个完整月每月都满足）或 period（第 N 个最近的完整月）',
          'A month-series metric needs each (in each of the last N complete months) or period (the Nth latest complete month)',
        );
        return invalid;
      }
      const months = env.seriesMonths[metric as string] ?? 0;
      if ((count as number) > months) {
        add(
          path,
          `指标 ${String(metric)} 只有最近 ${months} 个月`,
          `Metric ${String(metric)} keeps only the last ${months} months`,
        );
      }
      return {
        metric: metric as string,
        op: op as ComparisonOp,
        value: text,
        ...(each !== undefined ? { each: each as number } : { period: period as number }),
      };
    }
    if (each !== undefined || period !== undefined) {
      add(path, 'each / period 只用于按月序列指标', 'each / period are only for month-series metrics');
    }
    return { metric: metric as string, op: op as ComparisonOp, value: text };
  }
  add(
    path,
    '条件须为 all / any / not / always / tier / metric 之一',
    'A condition is one of all / any / not / always / tier / metric',
  );
  return invalid;
}

function checkPlaceholders(
  text: BilingualText,
  path: string,
  kinds: Record<string, MetricKind>,
  add: CheckEnv['add'],
): void {
  for (const lang of ['zh', 'en'] as const) {
    for (const match of text[lang].matchAll(/\{([a-z0-9_]+)(?:\.(\d+))?\}/g)) {
      const kind = kinds[match[1] as string];
      if (kind === undefined || (kind === 'series') !== (match[2] !== undefined)) {
        add(
          `${path}.${lang}`,
          `占位符 ${match[0]} 不是本方案的指标（按月序列写作 {名称.1}）`,
          `Placeholder ${match[0]} is not a metric of this scheme (month series: {name.1})`,
        );
      }
    }
  }
}
