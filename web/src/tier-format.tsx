import { Tag } from 'antd';
import type { Bilingual, MetricDefinition, MetricWindow } from './api-tiers';
import { type Translate, useT } from './i18n';

export interface NamedTier {
  key: string;
  name: Bilingual;
  rank: number;
}

const PALETTE = ['default', 'blue', 'cyan', 'green', 'gold', 'orange', 'volcano', 'magenta', 'purple'];
/** The same colours for charts (Ant Design's preset tag colours). */
const HEX: Record<string, string> = {
  default: '#8c8c8c',
  blue: '#1677ff',
  cyan: '#13c2c2',
  green: '#52c41a',
  gold: '#faad14',
  orange: '#fa8c16',
  volcano: '#fa541c',
  magenta: '#eb2f96',
  purple: '#722ed1',
};

/** The tier's name in the UI language; an unknown key (a tier since removed) shows as it is. */
export function tierName(
  tiers: readonly NamedTier[],
  key: string | null,
  pick: (zh: string, en: string) => string,
): string {
  if (key === null) return '—';
  const tier = tiers.find((candidate) => candidate.key === key);
  return tier ? pick(tier.name.zh, tier.name.en) : key;
}

/** Higher tiers get warmer colours; the lowest stays plain. */
export function tierColor(tiers: readonly NamedTier[], key: string | null): string {
  const sorted = [...tiers].sort((a, b) => a.rank - b.rank);
  const at = sorted.findIndex((tier) => tier.key === key);
  if (at < 0) return 'default';
  if (sorted.length <= 1) return 'blue';
  const step = Math.round((at / (sorted.length - 1)) * (PALETTE.length - 1));
  return PALETTE[step] ?? 'default';
}

/** A tier's colour in charts, matching its tag. */
export function tierHex(tiers: readonly NamedTier[], key: string | null): string {
  return HEX[tierColor(tiers, key)] ?? '#8c8c8c';
}

export function TierTag({
  tiers,
  tierKey,
  'data-testid': testId,
}: {
  tiers: readonly NamedTier[];
  tierKey: string | null;
  'data-testid'?: string;
}) {
  const { pick } = useT();
  if (tierKey === null) return <span data-testid={testId}>—</span>;
  return (
    <Tag
      color={tierColor(tiers, tierKey)}
      data-tier={tierKey}
      data-testid={testId}
      style={{ marginInlineEnd: 0 }}
    >
      {tierName(tiers, tierKey, pick)}
    </Tag>
  );
}

/** `from → to`, with "no tier" for a first assignment. */
export function TierChange({
  tiers,
  from,
  to,
}: {
  tiers: readonly NamedTier[];
  from: string | null;
  to: string;
}) {
  const { t } = useT();
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {from === null ? (
        <Tag style={{ marginInlineEnd: 0 }}>{t('tiers.noTier')}</Tag>
      ) : (
        <TierTag tiers={tiers} tierKey={from} />
      )}
      {' → '}
      <TierTag tiers={tiers} tierKey={to} />
    </span>
  );
}

/** Tiers highest rank first, as the server orders counts. */
export function byRankDesc<T extends { rank: number }>(tiers: readonly T[]): T[] {
  return [...tiers].sort((a, b) => b.rank - a.rank);
}

export function describeWindow(window: MetricWindow | undefined | null, t: Translate): string {
  if (!window) return '';
  switch (window.type) {
    case 'lifetime':
      return t('tiers.window.lifetime');
    case 'days':
      return t('tiers.window.daysN', { n: window.days });
    case 'months':
      return t('tiers.window.monthsN', { n: window.months });
    case 'year':
      return window.offset === 0
        ? t('tiers.window.thisYear')
        : t('tiers.window.yearAgo', { n: -window.offset });
    case 'monthSeries':
      return t('tiers.window.seriesN', { n: window.months });
  }
}

/** A metric's label, or its name when it has none. */
export function metricLabel(
  name: string,
  metric: MetricDefinition | undefined,
  pick: (zh: string, en: string) => string,
) {
  return metric?.label ? pick(metric.label.zh, metric.label.en) : name;
}

/** Shares as percentages (as the server's reasons show them); other values as the database printed them. */
export function formatMetricValue(
  metric: MetricDefinition | undefined,
  value: string | null | undefined,
): string {
  if (value === null || value === undefined) return '—';
  if (metric?.measure === 'shareBefore') {
    const percent = Number(value) * 100;
    return Number.isFinite(percent) ? `${Number.isInteger(percent) ? percent : percent.toFixed(2)}%` : value;
  }
  return value;
}
