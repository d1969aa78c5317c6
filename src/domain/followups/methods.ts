/**
 * How a follow-up is made. The same keys as a communication's channel (0006_timeline.sql), so a
 * completed follow-up is recorded as a communication of the same kind.
 */
export const followupMethods = ['visit', 'phone', 'email', 'sms', 'wechat', 'meeting', 'other'] as const;
export type FollowupMethod = (typeof followupMethods)[number];

export const followupMethodLabels: Record<FollowupMethod, { zh: string; en: string }> = {
  visit: { zh: '拜访', en: 'Visit' },
  phone: { zh: '电话', en: 'Phone call' },
  email: { zh: '邮件', en: 'E-mail' },
  sms: { zh: '短信', en: 'SMS' },
  wechat: { zh: '微信', en: 'WeChat' },
  meeting: { zh: '会议', en: 'Meeting' },
  other: { zh: '其他', en: 'Other' },
};
