/**
 * The enumerations of customer master data: stored keys with their Chinese and English labels.
 * Input accepts a key or either label (`企业`, `Enterprise`, `enterprise`).
 */
export interface EnumOption {
  value: string;
  zh: string;
  en: string;
}

function options<const V extends string>(entries: readonly (readonly [V, string, string])[]) {
  return entries.map(([value, zh, en]) => ({ value, zh, en }));
}

export const customerEnums = {
  type: options([
    ['individual', '个人', 'Individual'],
    ['enterprise', '企业', 'Enterprise'],
  ] as const),
  stage: options([
    ['potential', '潜在', 'Potential'],
    ['intent', '意向', 'Intent'],
    ['closed', '成交', 'Closed'],
    ['churned', '流失', 'Churned'],
  ] as const),
  status: options([
    ['active', '活跃', 'Active'],
    ['paused', '暂停', 'Paused'],
    ['terminated', '终止', 'Terminated'],
  ] as const),
  companySize: options([
    ['small', '小型', 'Small'],
    ['medium', '中型', 'Medium'],
    ['large', '大型', 'Large'],
  ] as const),
  gender: options([
    ['male', '男', 'Male'],
    ['female', '女', 'Female'],
    ['other', '其他', 'Other'],
  ] as const),
  ageBand: options([
    ['under_25', '25岁以下', 'Under 25'],
    ['25_34', '25–34岁', '25–34'],
    ['35_44', '35–44岁', '35–44'],
    ['45_54', '45–54岁', '45–54'],
    ['55_plus', '55岁及以上', '55 and over'],
  ] as const),
  incomeLevel: options([
    ['low', '低', 'Low'],
    ['middle', '中', 'Middle'],
    ['high', '高', 'High'],
  ] as const),
  creditStatus: options([
    ['good', '良好', 'Good'],
    ['watch', '关注', 'Watch'],
    ['overdue', '逾期', 'Overdue'],
  ] as const),
  communicationChannel: options([
    ['phone', '电话', 'Phone'],
    ['email', '邮件', 'Email'],
    ['wechat', '微信', 'WeChat'],
    ['sms', '短信', 'SMS'],
    ['visit', '拜访', 'Visit'],
    ['qq', 'QQ', 'QQ'],
  ] as const),
};

export type CustomerEnumName = keyof typeof customerEnums;

/** Extra spellings users type in spreadsheets. */
const aliases: Partial<Record<CustomerEnumName, Record<string, string>>> = {
  type: {
    个体: 'individual',
    公司: 'enterprise',
    单位: 'enterprise',
    person: 'individual',
    company: 'enterprise',
  },
  stage: {
    潜在客户: 'potential',
    意向客户: 'intent',
    已成交: 'closed',
    成交客户: 'closed',
    已流失: 'churned',
  },
  status: { 正常: 'active', 合作中: 'active', 已暂停: 'paused', 已终止: 'terminated' },
  gender: { m: 'male', f: 'female', 男性: 'male', 女性: 'female' },
  companySize: { 小: 'small', 中: 'medium', 大: 'large', 小微: 'small' },
  communicationChannel: { 邮箱: 'email', 电子邮件: 'email', 手机: 'phone', 上门: 'visit', wx: 'wechat' },
};

/** Maps a key, a label in either language or a known alias to the stored key; unknown input is returned as is. */
export function toEnumKey(name: CustomerEnumName, input: unknown): unknown {
  if (typeof input !== 'string') return input;
  const trimmed = input.trim();
  const lower = trimmed.toLowerCase();
  for (const option of customerEnums[name]) {
    if (option.value === lower || option.zh === trimmed || option.en.toLowerCase() === lower)
      return option.value;
  }
  return aliases[name]?.[lower] ?? aliases[name]?.[trimmed] ?? trimmed;
}

export const suggestedIndustries = [
  '制造业',
  '零售',
  '餐饮',
  '教育培训',
  '医疗健康',
  '互联网',
  '建筑装饰',
  '物流',
  '金融服务',
  '农业',
];

export const suggestedSources = [
  '官网',
  '社交媒体',
  '老客户推荐',
  '展会',
  '搜索引擎',
  '第三方名单',
  '电话营销',
];
