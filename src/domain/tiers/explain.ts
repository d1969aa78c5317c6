/**
 * Plain-words reasons and customer notices, told from the scheme version that decided and the
 * metric values it saw — so every decision can be explained to the customer, in zh and en.
 */
import type { BilingualText, Scheme } from './scheme.js';

export type MetricValues = Record<string, string | (string | null)[] | null>;

export interface Decision {
  rule: string | null;
  stepped: boolean;
  metrics: MetricValues;
}

const DEFAULT_NOTICES: Record<'promotion' | 'demotion' | 'assignment', BilingualText> = {
  promotion: { zh: '{reason}，已升级为{tier}。', en: 'Because {reason}, you have been upgraded to {tier}.' },
  demotion: { zh: '{reason}，等级调整为{tier}。', en: 'Because {reason}, your tier is now {tier}.' },
  assignment: { zh: '{reason}，您的等级为{tier}。', en: 'Because {reason}, your tier is {tier}.' },
};

/** Money and counts as the database printed them; shares as percentages. */
export function formatMetric(scheme: Scheme, name: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (scheme.metrics[name]?.measure === 'shareBefore') {
    const percent = Number(value) * 100;
    return `${Number.isInteger(percent) ? percent : percent.toFixed(2)}%`;
  }
  return value;
}

function fill(text: string, scheme: Scheme, metrics: MetricValues): string {
  return text.replace(/\{([a-z0-9_]+)(?:\.(\d+))?\}/g, (whole, name: string, month?: string) => {
    const value = metrics[name];
    if (value === undefined) return whole;
    if (month !== undefined)
      return formatMetric(scheme, name, Array.isArray(value) ? value[Number(month) - 1] : null);
    return formatMetric(scheme, name, Array.isArray(value) ? null : value);
  });
}

/** Why a review moved a customer, in both languages. */
export function explainDecision(scheme: Scheme, decision: Decision): BilingualText {
  const rule = scheme.rules.find((candidate) => candidate.id === decision.rule);
  const base = rule
    ? {
        zh: fill(rule.reason.zh, scheme, decision.metrics),
        en: fill(rule.reason.en, scheme, decision.metrics),
      }
    : { zh: '未满足任何规则的条件', en: 'no rule applied' };
  if (!decision.stepped) return base;
  const steps = scheme.maxStep ?? 1;
  return {
    zh: `${base.zh}（每次评审最多调整${steps}级）`,
    en: `${base.en} (at most ${steps} step${steps === 1 ? '' : 's'} per review)`,
  };
}

export function tierName(scheme: Scheme, key: string | null): BilingualText {
  const tier = scheme.tiers.find((candidate) => candidate.key === key);
  return tier ? tier.name : { zh: key ?? '—', en: key ?? '—' };
}

export function changeDirection(
  scheme: Scheme,
  from: string | null,
  to: string,
): 'promotion' | 'demotion' | 'assignment' {
  const rank = (key: string | null) => scheme.tiers.find((tier) => tier.key === key)?.rank;
  const before = rank(from);
  const after = rank(to);
  if (from === null || before === undefined || after === undefined) return 'assignment';
  return after > before ? 'promotion' : 'demotion';
}

/** The customer notice for a change, from the scheme's templates (or the defaults). */
export function noticeText(
  scheme: Scheme,
  change: { from: string | null; to: string; reason: BilingualText; customer: string; date: string },
): BilingualText {
  const direction = changeDirection(scheme, change.from, change.to);
  const template = scheme.notices?.[direction] ?? DEFAULT_NOTICES[direction];
  const out = (lang: 'zh' | 'en') =>
    template[lang]
      .replaceAll('{reason}', change.reason[lang])
      .replaceAll('{tier}', tierName(scheme, change.to)[lang])
      .replaceAll('{from}', tierName(scheme, change.from)[lang])
      .replaceAll('{customer}', change.customer)
      .replaceAll('{date}', change.date);
  return { zh: out('zh'), en: out('en') };
}
