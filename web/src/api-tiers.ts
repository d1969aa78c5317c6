import { type Query, request, toSearchParams } from './api';

/** `{zh, en}` texts of tier schemes: names, reasons, notices. */
export interface Bilingual {
  zh: string;
  en: string;
}

export type Cadence = 'manual' | 'monthly' | 'quarterly' | 'half-yearly' | 'yearly';
export const CADENCES: readonly Cadence[] = ['manual', 'monthly', 'quarterly', 'half-yearly', 'yearly'];

export type MetricWindow =
  | { type: 'lifetime' }
  | { type: 'days'; days: number }
  | { type: 'months'; months: number }
  | { type: 'year'; offset: number }
  | { type: 'monthSeries'; months: number };
export type WindowType = MetricWindow['type'];

export const AGGREGATE_MEASURES = [
  'spend',
  'orders',
  'quantity',
  'avgOrder',
  'maxOrder',
  'purchaseDays',
] as const;
export const MEASURES = [
  ...AGGREGATE_MEASURES,
  'daysSinceLastPurchase',
  'tenureDays',
  'field',
  'shareBefore',
] as const;
export type Measure = (typeof MEASURES)[number];

export interface MetricDefinition {
  measure: Measure;
  window?: MetricWindow;
  field?: string;
  of?: string;
  label?: Bilingual;
}

export const COMPARISON_OPS = ['>', '>=', '<', '<=', '=', '!='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { always: true }
  | { tier: string[] | null }
  | { metric: string; op: ComparisonOp; value: string | number; each?: number; period?: number }
  | { metric: string; in: string[] };

export interface TierDefinition {
  key: string;
  name: Bilingual;
  rank: number;
  benefits?: Bilingual;
}

export interface RuleDefinition {
  id: string;
  to: string;
  when?: Condition;
  reason: Bilingual;
}

export interface NoticeTemplates {
  enabled?: boolean;
  promotion?: Bilingual;
  demotion?: Bilingual;
  assignment?: Bilingual;
}

/** A scheme definition as the server stores and validates it (src/domain/tiers/scheme.ts). */
export interface SchemeDefinition {
  id: string;
  name: Bilingual;
  description?: Bilingual;
  tiers: TierDefinition[];
  metrics: Record<string, MetricDefinition>;
  rules: RuleDefinition[];
  otherwise?: string;
  cadence?: Cadence;
  maxStep?: number;
  protectionDays?: number;
  notices?: NoticeTemplates;
  /** Follow-up cadence per tier (docs/tiers.md); the editor keeps it as it is. */
  cadences?: Record<string, FollowupCadence>;
}

export interface FollowupCadence {
  everyMonths?: number;
  everyDays?: number;
  method: string;
  content?: Bilingual;
  recycleAfterDays?: number;
}

export interface SchemeSummary {
  id: string;
  version: number;
  active: boolean;
  name: Bilingual;
  cadence: Cadence;
  tiers: { key: string; name: Bilingual; rank: number }[];
  assigned: number;
  lastReviewOn: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredScheme {
  id: string;
  version: number;
  active: boolean;
  definition: SchemeDefinition;
}

export interface SchemeVersion {
  version: number;
  createdBy: string;
  createdAt: string;
}

/** Metric values a decision saw: a number as an exact string, a month series as a list (m1 first). */
export type MetricValues = Record<string, string | (string | null)[] | null>;

export interface ReviewChange {
  customerId: number;
  customer: string;
  from: string | null;
  to: string;
  rule: string;
  stepped: boolean;
  metrics: MetricValues;
  reason: Bilingual;
}

export interface ReviewResult {
  scheme: string;
  version: number;
  asOf: string;
  dryRun: boolean;
  reviewId: number | null;
  changesTotal: number;
  changes: ReviewChange[];
  counts: Record<string, number>;
}

export interface ReviewRecord {
  id: number;
  scheme: string;
  version: number;
  asOf: string;
  trigger: 'manual' | 'schedule';
  period: string | null;
  changes: number;
  counts: Record<string, number>;
  actor: string;
  createdAt: string;
}

export interface TierOverride {
  reason: string;
  by: string;
  at: string;
  locked: boolean;
  until: string | null;
}

export interface Assignment {
  customerId: number;
  customer: string;
  name: string;
  tier: string;
  since: string;
  schemeVersion: number;
  override: TierOverride | null;
}

export interface Distribution {
  current: Record<string, number>;
  overTime: { asOf: string; counts: Record<string, number> }[];
}

export interface BacktestPeriod {
  asOf: string;
  counts: Record<string, number>;
  changes: number;
  differentFromCurrent: number | null;
}

export interface BacktestResult {
  scheme: string;
  draft: boolean;
  comparedWith: string | null;
  from: string;
  to: string;
  every: 'month' | 'quarter';
  periods: BacktestPeriod[];
  differentFromAssigned: number | null;
}

export interface TierHistoryEntry {
  id: number;
  scheme: string;
  schemeVersion: number;
  date: string;
  from: string | null;
  to: string;
  kind: 'review' | 'override';
  rule: string | null;
  stepped: boolean;
  metrics: MetricValues;
  reason: Bilingual;
  actor: string;
  createdAt: string;
}

export type NoticeStatus = 'pending' | 'sent' | 'cancelled';
export const NOTICE_STATUSES: readonly NoticeStatus[] = ['pending', 'sent', 'cancelled'];

export interface TierNotice {
  id: number;
  customerId: number;
  customer: string;
  customerName: string;
  scheme: string;
  date: string;
  from: string | null;
  to: string;
  status: NoticeStatus;
  text: Bilingual;
  createdAt: string;
  sentAt: string | null;
}

export interface OverrideInput {
  tier: string;
  reason: string;
  lock: boolean;
  until?: string | null;
}

type Id = number | string;
const enc = (id: Id) => encodeURIComponent(String(id));

export const tiersApi = {
  presets: (signal?: AbortSignal) => request<{ items: SchemeDefinition[] }>('/tiers/presets', { signal }),
  listSchemes: (signal?: AbortSignal) => request<{ items: SchemeSummary[] }>('/tiers/schemes', { signal }),
  createFromPreset: (preset: string, id?: string) =>
    request<StoredScheme>('/tiers/schemes', { method: 'POST', body: { preset, ...(id ? { id } : {}) } }),
  createScheme: (definition: SchemeDefinition) =>
    request<StoredScheme>('/tiers/schemes', { method: 'POST', body: { definition } }),
  getScheme: (id: string, signal?: AbortSignal) =>
    request<StoredScheme & { versions: SchemeVersion[] }>(`/tiers/schemes/${enc(id)}`, { signal }),
  /** Saves the definition as the scheme's next version. */
  updateScheme: (id: string, definition: SchemeDefinition) =>
    request<StoredScheme>(`/tiers/schemes/${enc(id)}`, { method: 'PUT', body: definition }),
  setActive: (id: string, active: boolean) =>
    request<StoredScheme>(`/tiers/schemes/${enc(id)}`, { method: 'PATCH', body: { active } }),

  review: (id: string, body: { asOf: string; dryRun: boolean; changeLimit?: number }) =>
    request<ReviewResult>(`/tiers/schemes/${enc(id)}/reviews`, { method: 'POST', body }),
  listReviews: (id: string, signal?: AbortSignal) =>
    request<{ items: ReviewRecord[] }>(`/tiers/schemes/${enc(id)}/reviews`, { signal }),
  listAssignments: (id: string, query: Query, signal?: AbortSignal) =>
    request<{ items: Assignment[]; nextCursor: string | null }>(`/tiers/schemes/${enc(id)}/assignments`, {
      query,
      signal,
    }),
  distribution: (id: string, signal?: AbortSignal) =>
    request<Distribution>(`/tiers/schemes/${enc(id)}/distribution`, { signal }),
  backtest: (body: {
    scheme?: string;
    definition?: SchemeDefinition;
    from: string;
    to: string;
    every: 'month' | 'quarter';
  }) => request<BacktestResult>('/tiers/backtests', { method: 'POST', body }),

  customerTiers: (customerId: Id, signal?: AbortSignal) =>
    request<{ items: (Assignment & { scheme: string })[]; history: TierHistoryEntry[] }>(
      `/customers/${enc(customerId)}/tiers`,
      { signal },
    ),
  override: (customerId: Id, scheme: string, body: OverrideInput) =>
    request<Assignment & { scheme: string }>(`/customers/${enc(customerId)}/tiers/${enc(scheme)}/override`, {
      method: 'POST',
      body,
    }),
  releaseOverride: (customerId: Id, scheme: string) =>
    request<unknown>(`/customers/${enc(customerId)}/tiers/${enc(scheme)}/override`, { method: 'DELETE' }),

  listNotices: (query: Query, signal?: AbortSignal) =>
    request<{ items: TierNotice[] }>('/tiers/notices', { query, signal }),
  markNotices: (ids: number[], status: 'sent' | 'cancelled') =>
    request<{ updated: number }>('/tiers/notices/mark', { method: 'POST', body: { ids, status } }),
  /** A plain GET (the session cookie goes along), for a download link. */
  noticesCsvUrl: (query: Query) =>
    `/api/tiers/notices?${toSearchParams({ ...query, format: 'csv' }).toString()}`,
};
