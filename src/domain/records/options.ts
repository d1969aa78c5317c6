/**
 * The enumerations of customer records — stored keys with their Chinese and English labels and the
 * other words people use for them (in forms, spreadsheets and the CLI).
 */
export interface RecordOption {
  value: string;
  zh: string;
  en: string;
  /** Other words people use for it (Chinese or English). */
  also?: readonly string[];
}

export const channelOptions = [
  {
    value: 'phone',
    zh: '电话',
    en: 'Phone',
    also: ['打电话', '通话', '电话沟通', 'call', 'phone call', 'tel'],
  },
  { value: 'email', zh: '邮件', en: 'Email', also: ['电子邮件', '邮箱', 'e-mail', 'mail'] },
  { value: 'visit', zh: '拜访', en: 'Visit', also: ['上门', '上门拜访', '面访', '来访', '面谈'] },
  { value: 'wechat', zh: '微信', en: 'WeChat', also: ['weixin', '企业微信'] },
  { value: 'meeting', zh: '会议', en: 'Meeting', also: ['开会', '视频会议', '线上会议'] },
  { value: 'sms', zh: '短信', en: 'SMS', also: ['text', 'text message'] },
  { value: 'other', zh: '其他', en: 'Other', also: ['其它'] },
] as const satisfies readonly RecordOption[];
export type Channel = (typeof channelOptions)[number]['value'];

export const directionOptions = [
  { value: 'outbound', zh: '主动联系', en: 'Outbound', also: ['呼出', '去电', '外呼', '回访', 'outgoing'] },
  { value: 'inbound', zh: '客户来联系', en: 'Inbound', also: ['呼入', '来电', '客户主动', 'incoming'] },
] as const satisfies readonly RecordOption[];

export const feedbackKindOptions = [
  { value: 'review', zh: '评价', en: 'Review', also: ['好评', '差评', '点评'] },
  { value: 'suggestion', zh: '建议', en: 'Suggestion', also: ['意见', '意见建议'] },
  { value: 'complaint', zh: '投诉', en: 'Complaint', also: ['客诉'] },
] as const satisfies readonly RecordOption[];

/** Status of feedback and service records. */
export const statusOptions = [
  { value: 'open', zh: '待处理', en: 'Open', also: ['未处理', '新建'] },
  { value: 'in_progress', zh: '处理中', en: 'In progress', also: ['进行中', 'in progress'] },
  { value: 'resolved', zh: '已解决', en: 'Resolved', also: ['已处理', '完成', '已完成'] },
  { value: 'closed', zh: '已关闭', en: 'Closed', also: ['关闭'] },
] as const satisfies readonly RecordOption[];
export type RecordStatus = (typeof statusOptions)[number]['value'];
export const OPEN_STATUSES: readonly RecordStatus[] = ['open', 'in_progress'];

export const projectStatusOptions = [
  { value: 'planned', zh: '计划中', en: 'Planned', also: ['未开始', '筹备'] },
  { value: 'active', zh: '进行中', en: 'Active', also: ['执行中', '实施中'] },
  { value: 'completed', zh: '已完成', en: 'Completed', also: ['完成', '已结束', '结项'] },
  { value: 'cancelled', zh: '已取消', en: 'Cancelled', also: ['取消', '终止', 'canceled'] },
] as const satisfies readonly RecordOption[];

export const followupStatusOptions = [
  { value: 'planned', zh: '计划中', en: 'Planned' },
  { value: 'done', zh: '已完成', en: 'Done' },
  { value: 'skipped', zh: '已跳过', en: 'Skipped' },
] as const satisfies readonly RecordOption[];

/** Key or label (either language, any case) → key; anything else is returned trimmed, for a schema to refuse. */
export function toOptionKey(options: readonly RecordOption[], value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const wanted = value.trim().toLowerCase();
  const found = options.find((option) =>
    [option.value, option.zh, option.en, ...(option.also ?? [])].some(
      (word) => word.toLowerCase() === wanted,
    ),
  );
  return found ? found.value : value.trim();
}

export function labelOf(options: readonly RecordOption[], value: string): { zh: string; en: string } {
  const option = options.find((candidate) => candidate.value === value);
  return option ? { zh: option.zh, en: option.en } : { zh: value, en: value };
}
