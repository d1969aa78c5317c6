/**
 * The rule editor's working copy of a tier scheme: lists instead of records, ids for React keys,
 * empty strings instead of missing texts. `toDefinition` turns it back into the JSON the server
 * validates; paths of the server's errors (`rules.0.when.all.1.value`) name the same places.
 */
import {
  AGGREGATE_MEASURES,
  type Bilingual,
  type Cadence,
  type ComparisonOp,
  type Condition,
  type Measure,
  type MetricDefinition,
  type MetricWindow,
  type SchemeDefinition,
} from './api-tiers';

let counter = 0;
/** A key for React lists; never sent to the server. */
export function uid(): string {
  counter += 1;
  return `d${counter}`;
}

export interface DraftText {
  zh: string;
  en: string;
}

export interface DraftTier {
  uid: string;
  key: string;
  name: DraftText;
  rank: number | null;
  benefits: DraftText;
}

export interface DraftMetric {
  uid: string;
  name: string;
  measure: Measure;
  window: MetricWindow | null;
  field: string;
  of: string;
  label: DraftText;
}

export type DraftCondition =
  | { uid: string; kind: 'all' | 'any'; items: DraftCondition[] }
  | { uid: string; kind: 'not'; item: DraftCondition }
  | { uid: string; kind: 'always' }
  /** `tiers` null: the customer has no tier yet. */
  | { uid: string; kind: 'tier'; tiers: string[] | null }
  | {
      uid: string;
      kind: 'compare';
      metric: string;
      op: ComparisonOp;
      value: string;
      /** Month-series metrics: in each of the last N months, or in month N. */
      series: 'each' | 'period';
      months: number | null;
    }
  | { uid: string; kind: 'in'; metric: string; values: string[] };

export type ConditionKind = DraftCondition['kind'] | 'noTier';

export interface DraftRule {
  uid: string;
  id: string;
  to: string;
  when: DraftCondition;
  reason: DraftText;
}

export interface DraftNotices {
  enabled: boolean;
  promotion: DraftText;
  demotion: DraftText;
  assignment: DraftText;
}

export interface Draft {
  id: string;
  name: DraftText;
  description: DraftText;
  tiers: DraftTier[];
  metrics: DraftMetric[];
  rules: DraftRule[];
  otherwise: string;
  cadence: Cadence;
  maxStep: number | null;
  protectionDays: number | null;
  notices: DraftNotices;
  /** Follow-up cadences are not edited here, only carried through so saving keeps them. */
  cadences?: SchemeDefinition['cadences'];
}

const text = (value?: Bilingual | null): DraftText => ({ zh: value?.zh ?? '', en: value?.en ?? '' });
const emptyText = (): DraftText => ({ zh: '', en: '' });

export function isAggregate(measure: Measure): boolean {
  return (AGGREGATE_MEASURES as readonly string[]).includes(measure);
}

export function defaultWindow(type: MetricWindow['type']): MetricWindow {
  switch (type) {
    case 'lifetime':
      return { type };
    case 'days':
      return { type, days: 365 };
    case 'months':
      return { type, months: 12 };
    case 'year':
      return { type, offset: 0 };
    case 'monthSeries':
      return { type, months: 6 };
  }
}

export function fromCondition(condition: Condition | undefined): DraftCondition {
  if (condition === undefined) return { uid: uid(), kind: 'always' };
  if ('all' in condition) return { uid: uid(), kind: 'all', items: condition.all.map(fromCondition) };
  if ('any' in condition) return { uid: uid(), kind: 'any', items: condition.any.map(fromCondition) };
  if ('not' in condition) return { uid: uid(), kind: 'not', item: fromCondition(condition.not) };
  if ('always' in condition) return { uid: uid(), kind: 'always' };
  if ('tier' in condition)
    return { uid: uid(), kind: 'tier', tiers: condition.tier ? [...condition.tier] : null };
  if ('in' in condition)
    return { uid: uid(), kind: 'in', metric: condition.metric, values: [...condition.in] };
  return {
    uid: uid(),
    kind: 'compare',
    metric: condition.metric,
    op: condition.op,
    value: String(condition.value),
    series: condition.period !== undefined ? 'period' : 'each',
    months: condition.each ?? condition.period ?? null,
  };
}

export function toDraft(definition: SchemeDefinition): Draft {
  return {
    id: definition.id,
    name: text(definition.name),
    description: text(definition.description),
    tiers: definition.tiers.map((tier) => ({
      uid: uid(),
      key: tier.key,
      name: text(tier.name),
      rank: tier.rank,
      benefits: text(tier.benefits),
    })),
    metrics: Object.entries(definition.metrics).map(([name, metric]) => ({
      uid: uid(),
      name,
      measure: metric.measure,
      window: metric.window ?? null,
      field: metric.field ?? '',
      of: metric.of ?? '',
      label: text(metric.label),
    })),
    rules: definition.rules.map((rule) => ({
      uid: uid(),
      id: rule.id,
      to: rule.to,
      when: fromCondition(rule.when),
      reason: text(rule.reason),
    })),
    otherwise: definition.otherwise ?? 'hold',
    cadence: definition.cadence ?? 'manual',
    maxStep: definition.maxStep ?? null,
    protectionDays: definition.protectionDays ?? null,
    notices: {
      enabled: definition.notices?.enabled ?? true,
      promotion: text(definition.notices?.promotion),
      demotion: text(definition.notices?.demotion),
      assignment: text(definition.notices?.assignment),
    },
    ...(definition.cadences ? { cadences: definition.cadences } : {}),
  };
}

/** A new scheme to start from: two tiers, no metrics, no rules. */
export function emptyDraft(): Draft {
  return {
    id: '',
    name: emptyText(),
    description: emptyText(),
    tiers: [
      { uid: uid(), key: 'normal', name: { zh: '普通', en: 'Normal' }, rank: 1, benefits: emptyText() },
      { uid: uid(), key: 'vip', name: { zh: '贵宾', en: 'VIP' }, rank: 2, benefits: emptyText() },
    ],
    metrics: [],
    rules: [],
    otherwise: 'hold',
    cadence: 'manual',
    maxStep: null,
    protectionDays: null,
    notices: { enabled: true, promotion: emptyText(), demotion: emptyText(), assignment: emptyText() },
  };
}

/** An optional text pair: left out when both halves are empty (the server checks a half-filled one). */
function optionalText(value: DraftText): Bilingual | undefined {
  return value.zh.trim() === '' && value.en.trim() === '' ? undefined : { zh: value.zh, en: value.en };
}

export function toCondition(condition: DraftCondition, isSeries: (metric: string) => boolean): Condition {
  switch (condition.kind) {
    case 'all':
      return { all: condition.items.map((item) => toCondition(item, isSeries)) };
    case 'any':
      return { any: condition.items.map((item) => toCondition(item, isSeries)) };
    case 'not':
      return { not: toCondition(condition.item, isSeries) };
    case 'always':
      return { always: true };
    case 'tier':
      return { tier: condition.tiers === null ? null : [...condition.tiers] };
    case 'in':
      return { metric: condition.metric, in: [...condition.values] };
    case 'compare': {
      const base = { metric: condition.metric, op: condition.op, value: condition.value.trim() };
      if (!isSeries(condition.metric)) return base;
      const months = condition.months ?? 0;
      return condition.series === 'each' ? { ...base, each: months } : { ...base, period: months };
    }
  }
}

function toMetric(metric: DraftMetric): MetricDefinition {
  const out: MetricDefinition = { measure: metric.measure };
  if (isAggregate(metric.measure) && metric.window) out.window = metric.window;
  if (metric.measure === 'field') out.field = metric.field;
  if (metric.measure === 'shareBefore') out.of = metric.of;
  const label = optionalText(metric.label);
  if (label) out.label = label;
  return out;
}

/** The definition the server validates; it keeps every mistake for the server to name. */
export function toDefinition(draft: Draft): SchemeDefinition {
  const series = new Set(draft.metrics.filter((m) => m.window?.type === 'monthSeries').map((m) => m.name));
  const isSeries = (name: string) => series.has(name);
  const templates: (keyof Omit<DraftNotices, 'enabled'>)[] = ['promotion', 'demotion', 'assignment'];
  const notices: SchemeDefinition['notices'] = { enabled: draft.notices.enabled };
  for (const kind of templates) {
    const value = optionalText(draft.notices[kind]);
    if (value) notices[kind] = value;
  }
  const definition: SchemeDefinition = {
    id: draft.id.trim(),
    name: { zh: draft.name.zh, en: draft.name.en },
    tiers: draft.tiers.map((tier) => {
      const benefits = optionalText(tier.benefits);
      return {
        key: tier.key.trim(),
        name: { zh: tier.name.zh, en: tier.name.en },
        rank: tier.rank ?? Number.NaN,
        ...(benefits ? { benefits } : {}),
      };
    }),
    metrics: Object.fromEntries(draft.metrics.map((metric) => [metric.name.trim(), toMetric(metric)])),
    rules: draft.rules.map((rule) => ({
      id: rule.id.trim(),
      to: rule.to,
      when: toCondition(rule.when, isSeries),
      reason: { zh: rule.reason.zh, en: rule.reason.en },
    })),
    otherwise: draft.otherwise,
    cadence: draft.cadence,
    notices,
  };
  const description = optionalText(draft.description);
  if (description) definition.description = description;
  if (draft.maxStep !== null) definition.maxStep = draft.maxStep;
  if (draft.protectionDays !== null) definition.protectionDays = draft.protectionDays;
  if (draft.cadences) definition.cadences = draft.cadences;
  return definition;
}

/** Every path the editor shows a field (or a block) for; server errors land on the closest one. */
export function knownPaths(draft: Draft): Set<string> {
  const paths = new Set<string>([
    'id',
    'name',
    'name.zh',
    'name.en',
    'description',
    'description.zh',
    'description.en',
    'tiers',
    'metrics',
    'rules',
    'otherwise',
    'cadence',
    'maxStep',
    'protectionDays',
    'notices',
  ]);
  for (const kind of ['promotion', 'demotion', 'assignment']) {
    paths.add(`notices.${kind}`);
    paths.add(`notices.${kind}.zh`);
    paths.add(`notices.${kind}.en`);
  }
  draft.tiers.forEach((_, i) => {
    for (const part of [
      '',
      '.key',
      '.name',
      '.name.zh',
      '.name.en',
      '.rank',
      '.benefits',
      '.benefits.zh',
      '.benefits.en',
    ])
      paths.add(`tiers.${i}${part}`);
  });
  for (const metric of draft.metrics) {
    const base = `metrics.${metric.name.trim()}`;
    for (const part of ['', '.measure', '.window', '.field', '.of', '.label', '.label.zh', '.label.en'])
      paths.add(`${base}${part}`);
  }
  draft.rules.forEach((rule, i) => {
    for (const part of ['', '.id', '.to', '.reason', '.reason.zh', '.reason.en'])
      paths.add(`rules.${i}${part}`);
    conditionPaths(rule.when, `rules.${i}.when`, paths);
  });
  return paths;
}

function conditionPaths(condition: DraftCondition, path: string, paths: Set<string>): void {
  paths.add(path);
  switch (condition.kind) {
    case 'all':
    case 'any':
      paths.add(`${path}.${condition.kind}`);
      condition.items.forEach((item, i) => {
        conditionPaths(item, `${path}.${condition.kind}.${i}`, paths);
      });
      return;
    case 'not':
      conditionPaths(condition.item, `${path}.not`, paths);
      return;
    case 'tier':
      paths.add(`${path}.tier`);
      return;
    case 'in':
      paths.add(`${path}.metric`);
      paths.add(`${path}.in`);
      return;
    case 'compare':
      for (const part of ['metric', 'op', 'value', 'each', 'period']) paths.add(`${path}.${part}`);
      return;
    case 'always':
      return;
  }
}

export interface PlacedError {
  /** The path as the server sent it. */
  field: string;
  message: string;
}

/** Groups the server's field errors by the closest path the editor shows. */
export function placeErrors(errors: PlacedError[], known: ReadonlySet<string>): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const error of errors) {
    const parts = error.field.split('.');
    let path = '';
    for (let n = parts.length; n > 0; n--) {
      const candidate = parts.slice(0, n).join('.');
      if (known.has(candidate)) {
        path = candidate;
        break;
      }
    }
    const list = byPath.get(path) ?? [];
    list.push(error.message);
    byPath.set(path, list);
  }
  return byPath;
}

function mapCondition(condition: DraftCondition, fn: (c: DraftCondition) => DraftCondition): DraftCondition {
  const mapped =
    condition.kind === 'all' || condition.kind === 'any'
      ? { ...condition, items: condition.items.map((item) => mapCondition(item, fn)) }
      : condition.kind === 'not'
        ? { ...condition, item: mapCondition(condition.item, fn) }
        : condition;
  return fn(mapped);
}

/** Renaming a tier key keeps the rules, guards and the fallback pointing at it. */
export function renameTier(draft: Draft, from: string, to: string): Draft {
  if (from === '' || from === to) return draft;
  const swap = (key: string) => (key === from ? to : key);
  return {
    ...draft,
    otherwise: swap(draft.otherwise),
    rules: draft.rules.map((rule) => ({
      ...rule,
      to: swap(rule.to),
      when: mapCondition(rule.when, (c) =>
        c.kind === 'tier' && c.tiers !== null ? { ...c, tiers: c.tiers.map(swap) } : c,
      ),
    })),
  };
}

/** Renaming a metric keeps the conditions and shareBefore metrics that use it. */
export function renameMetric(draft: Draft, from: string, to: string): Draft {
  if (from === '' || from === to) return draft;
  return {
    ...draft,
    metrics: draft.metrics.map((metric) => (metric.of === from ? { ...metric, of: to } : metric)),
    rules: draft.rules.map((rule) => ({
      ...rule,
      when: mapCondition(rule.when, (c) =>
        (c.kind === 'compare' || c.kind === 'in') && c.metric === from ? { ...c, metric: to } : c,
      ),
    })),
  };
}
