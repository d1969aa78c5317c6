/**
 * The titles of timeline items, in Chinese and English, told from what each item holds. Pure:
 * the module reads the items, this decides how they read.
 */
import {
  channelOptions,
  directionOptions,
  feedbackKindOptions,
  followupStatusOptions,
  labelOf,
  OPEN_STATUSES,
  projectStatusOptions,
  type RecordStatus,
  statusOptions,
} from '../records/options.js';

/** Every kind of item the timeline merges, in the order they are documented. */
export const timelineKinds = [
  'transaction',
  'communication',
  'feedback',
  'service',
  'project',
  'instalment',
  'payment',
  'tier',
  'followup',
] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export interface Bilingual {
  zh: string;
  en: string;
}

type Data = Record<string, unknown>;

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const money = (value: unknown): string => `¥${text(value)}`;
const lower = (label: Bilingual): Bilingual => ({ zh: label.zh, en: label.en.toLowerCase() });

function transaction(data: Data): Bilingual {
  const refund = text(data.amount).startsWith('-');
  const product = text(data.product);
  const amount = refund ? money(text(data.amount).slice(1)) : money(data.amount);
  return {
    zh: `${refund ? '退款' : '交易'} ${amount}${product ? ` · ${product}` : ''}`,
    en: `${refund ? 'Refund' : 'Purchase'} ${amount}${product ? ` · ${product}` : ''}`,
  };
}

function communication(data: Data): Bilingual {
  const channel = labelOf(channelOptions, text(data.channel));
  const direction = lower(labelOf(directionOptions, text(data.direction)));
  return { zh: `${channel.zh}沟通（${direction.zh}）`, en: `${channel.en} (${direction.en})` };
}

function feedback(data: Data, now: Date): Bilingual {
  const kind = labelOf(feedbackKindOptions, text(data.kind));
  const status = lower(labelOf(statusOptions, text(data.status)));
  const rating = typeof data.rating === 'number' ? data.rating : null;
  const overdue =
    data.kind === 'complaint' &&
    OPEN_STATUSES.includes(data.status as RecordStatus) &&
    typeof data.dueAt === 'string' &&
    Date.parse(data.dueAt) < now.getTime();
  return {
    zh: `${kind.zh}${rating ? ` ${rating}星` : ''}（${status.zh}${overdue ? '，已超期' : ''}）`,
    en: `${kind.en}${rating ? ` ${rating}/5` : ''} (${status.en}${overdue ? ', overdue' : ''})`,
  };
}

function service(data: Data): Bilingual {
  const category = text(data.category);
  const status = lower(labelOf(statusOptions, text(data.status)));
  return {
    zh: `服务请求${category ? `：${category}` : ''}（${status.zh}）`,
    en: `Service request${category ? `: ${category}` : ''} (${status.en})`,
  };
}

function project(data: Data): Bilingual {
  const status = lower(labelOf(projectStatusOptions, text(data.status)));
  const contract =
    data.contractAmount === null || data.contractAmount === undefined ? '' : money(data.contractAmount);
  return {
    zh: `新项目：${text(data.name)}${contract ? `，合同 ${contract}` : ''}（${status.zh}）`,
    en: `Project created: ${text(data.name)}${contract ? `, contract ${contract}` : ''} (${status.en})`,
  };
}

function followup(data: Data, now: Date): Bilingual {
  const method = labelOf(channelOptions, text(data.method));
  const status = text(data.status);
  if (status === 'planned') {
    const overdue = typeof data.dueAt === 'string' && Date.parse(data.dueAt) < now.getTime();
    return {
      zh: `跟进计划：${method.zh}${overdue ? '（已逾期）' : ''}`,
      en: `Follow-up planned: ${method.en.toLowerCase()}${overdue ? ' (overdue)' : ''}`,
    };
  }
  const label = labelOf(followupStatusOptions, status);
  return {
    zh: `跟进${label.zh}：${method.zh}`,
    en: `Follow-up ${label.en.toLowerCase()}: ${method.en.toLowerCase()}`,
  };
}

/**
 * The title of one timeline item.
 *
 * @example describeItem('payment', { amount: '5000.00', projectName: 'ERP 实施' }, now)
 * // { zh: '收到回款 ¥5000.00（ERP 实施）', en: 'Payment received ¥5000.00 (ERP 实施)' }
 */
export function describeItem(kind: TimelineKind, data: Data, now: Date): Bilingual {
  switch (kind) {
    case 'transaction':
      return transaction(data);
    case 'communication':
      return communication(data);
    case 'feedback':
      return feedback(data, now);
    case 'service':
      return service(data);
    case 'project':
      return project(data);
    case 'instalment':
      return {
        zh: `应收款到期 ${money(data.amount)}（${text(data.projectName)}）`,
        en: `Instalment due ${money(data.amount)} (${text(data.projectName)})`,
      };
    case 'payment':
      return {
        zh: `收到回款 ${money(data.amount)}（${text(data.projectName)}）`,
        en: `Payment received ${money(data.amount)} (${text(data.projectName)})`,
      };
    case 'tier': {
      const from = data.from === null || data.from === undefined ? null : text(data.from);
      const manual = data.kind === 'override';
      return {
        zh: `${manual ? '人工调整等级' : '等级变更'}：${from ?? '无'} → ${text(data.to)}（${text(data.scheme)}）`,
        en: `${manual ? 'Tier overridden' : 'Tier changed'}: ${from ?? 'none'} → ${text(data.to)} (${text(data.scheme)})`,
      };
    }
    case 'followup':
      return followup(data, now);
  }
}
