/**
 * The worked examples of the source documents, as ready-made schemes. Their semantics are pinned
 * by tests at every boundary (presets.test.ts); change them only with those tests.
 */
import type { SchemeInput } from './scheme.js';

const monthlySpend: SchemeInput = {
  id: 'monthly-spend',
  name: { zh: '按月消费分级', en: 'Monthly spend tiers' },
  description: {
    zh: '每月消费低于100元为低级、100–500元为中级、超过500元为高级；连续3个月每月超过500元升为高级，连续6个月每月低于100元降为低级，否则保持。',
    en: 'Monthly spend below 100 is low, 100–500 mid, above 500 high; 3 months in a row above 500 promotes to high, 6 months in a row below 100 demotes to low, otherwise the tier is kept.',
  },
  tiers: [
    {
      key: 'low',
      name: { zh: '低级', en: 'Low' },
      rank: 1,
      benefits: { zh: '新客引导与关怀', en: 'Onboarding and care' },
    },
    { key: 'mid', name: { zh: '中级', en: 'Mid' }, rank: 2, benefits: { zh: '折扣优惠', en: 'Discounts' } },
    {
      key: 'high',
      name: { zh: '高级', en: 'High' },
      rank: 3,
      benefits: { zh: '专属客服', en: 'Dedicated service' },
    },
  ],
  metrics: {
    spend_month: {
      measure: 'spend',
      window: { type: 'monthSeries', months: 6 },
      label: { zh: '月消费', en: 'Monthly spend' },
    },
  },
  rules: [
    {
      id: 'three_months_high',
      to: 'high',
      when: { metric: 'spend_month', op: '>', value: 500, each: 3 },
      reason: {
        zh: '您最近3个月每月消费均超过500元',
        en: 'you spent more than 500 in each of the last 3 months',
      },
    },
    {
      id: 'six_months_low',
      to: 'low',
      when: { metric: 'spend_month', op: '<', value: 100, each: 6 },
      reason: {
        zh: '您最近6个月每月消费均低于100元',
        en: 'you spent less than 100 in each of the last 6 months',
      },
    },
    {
      id: 'first_low',
      to: 'low',
      when: { all: [{ tier: null }, { metric: 'spend_month', op: '<', value: 100, period: 1 }] },
      reason: {
        zh: '您上个月消费{spend_month.1}元，低于100元',
        en: 'you spent {spend_month.1} last month, less than 100',
      },
    },
    {
      id: 'first_mid',
      to: 'mid',
      when: {
        all: [
          { tier: null },
          { metric: 'spend_month', op: '>=', value: 100, period: 1 },
          { metric: 'spend_month', op: '<=', value: 500, period: 1 },
        ],
      },
      reason: {
        zh: '您上个月消费{spend_month.1}元，在100至500元之间',
        en: 'you spent {spend_month.1} last month, between 100 and 500',
      },
    },
    {
      id: 'first_high',
      to: 'high',
      when: { all: [{ tier: null }, { metric: 'spend_month', op: '>', value: 500, period: 1 }] },
      reason: {
        zh: '您上个月消费{spend_month.1}元，超过500元',
        en: 'you spent {spend_month.1} last month, more than 500',
      },
    },
    {
      id: 'low_to_mid',
      to: 'mid',
      when: { all: [{ tier: ['low'] }, { metric: 'spend_month', op: '>=', value: 100, each: 3 }] },
      reason: {
        zh: '您最近3个月每月消费均不低于100元',
        en: 'you spent at least 100 in each of the last 3 months',
      },
    },
    {
      id: 'high_to_mid',
      to: 'mid',
      when: { all: [{ tier: ['high'] }, { metric: 'spend_month', op: '<=', value: 500, each: 6 }] },
      reason: {
        zh: '您最近6个月每月消费均未超过500元',
        en: 'you spent no more than 500 in each of the last 6 months',
      },
    },
  ],
  otherwise: 'hold',
  cadence: 'monthly',
  notices: {
    enabled: true,
    promotion: {
      zh: '{reason}，已升级为{tier}客户。',
      en: 'Because {reason}, you have been upgraded to {tier}.',
    },
    demotion: { zh: '{reason}，已调整为{tier}客户。', en: 'Because {reason}, your tier is now {tier}.' },
    assignment: { zh: '{reason}，已评定为{tier}客户。', en: 'Because {reason}, your tier is {tier}.' },
  },
};

const ecommerceMembership: SchemeInput = {
  id: 'ecommerce-membership',
  name: { zh: '电商会员等级', en: 'E-commerce membership' },
  description: {
    zh: '最近365天消费超过10万元且订单不少于100笔为钻石会员；消费不少于5万元为黄金会员；其余为普通会员。每次评审重新计算。',
    en: 'Over the last 365 days: spend above 100,000 with at least 100 orders is Diamond; spend of at least 50,000 is Gold; everyone else is Normal. Recomputed at every review.',
  },
  tiers: [
    {
      key: 'normal',
      name: { zh: '普通会员', en: 'Normal member' },
      rank: 1,
      benefits: { zh: '积分累积，可升级', en: 'Collect points to move up' },
    },
    {
      key: 'gold',
      name: { zh: '黄金会员', en: 'Gold member' },
      rank: 2,
      benefits: { zh: '折扣优惠', en: 'Discounts' },
    },
    {
      key: 'diamond',
      name: { zh: '钻石会员', en: 'Diamond member' },
      rank: 3,
      benefits: { zh: '专属客服、免费退换货', en: 'Dedicated service, free returns' },
    },
  ],
  metrics: {
    spend_365: {
      measure: 'spend',
      window: { type: 'days', days: 365 },
      label: { zh: '年消费', en: 'Annual spend' },
    },
    orders_365: {
      measure: 'orders',
      window: { type: 'days', days: 365 },
      label: { zh: '年订单数', en: 'Annual orders' },
    },
  },
  rules: [
    {
      id: 'diamond',
      to: 'diamond',
      when: {
        all: [
          { metric: 'spend_365', op: '>', value: 100000 },
          { metric: 'orders_365', op: '>=', value: 100 },
        ],
      },
      reason: {
        zh: '您最近一年消费{spend_365}元、订单{orders_365}笔（超过10万元且不少于100笔）',
        en: 'you spent {spend_365} in {orders_365} orders over the last year (above 100,000 and at least 100 orders)',
      },
    },
    {
      id: 'gold',
      to: 'gold',
      when: { metric: 'spend_365', op: '>=', value: 50000 },
      reason: {
        zh: '您最近一年消费{spend_365}元（不少于5万元）',
        en: 'you spent {spend_365} over the last year (at least 50,000)',
      },
    },
    {
      id: 'normal',
      to: 'normal',
      when: { always: true },
      reason: {
        zh: '您最近一年消费{spend_365}元、订单{orders_365}笔',
        en: 'you spent {spend_365} in {orders_365} orders over the last year',
      },
    },
  ],
  otherwise: 'hold',
  cadence: 'monthly',
  notices: {
    enabled: true,
    promotion: { zh: '{reason}，已升级为{tier}。', en: 'Because {reason}, you are now a {tier}.' },
    demotion: {
      zh: '{reason}，会员等级调整为{tier}。',
      en: 'Because {reason}, your membership is now {tier}.',
    },
    assignment: {
      zh: '{reason}，您的会员等级为{tier}。',
      en: 'Because {reason}, your membership is {tier}.',
    },
  },
};

const hotel: SchemeInput = {
  id: 'hotel',
  name: { zh: '酒店客人等级', en: 'Hotel guest tiers' },
  description: {
    zh: '累计入住不少于20次且超过30晚为贵宾；入住不少于10次或不少于15晚为常客；入住不超过1次为新客；其余为普通。',
    en: 'At least 20 stays and more than 30 nights is VIP; at least 10 stays or at least 15 nights is Regular; at most one stay is New; everyone else is Member.',
  },
  tiers: [
    {
      key: 'new',
      name: { zh: '新客', en: 'New' },
      rank: 1,
      benefits: { zh: '参与活动可获优惠券', en: 'Coupons through events' },
    },
    { key: 'member', name: { zh: '普通', en: 'Member' }, rank: 2 },
    {
      key: 'regular',
      name: { zh: '常客', en: 'Regular' },
      rank: 3,
      benefits: { zh: '积分奖励', en: 'Bonus points' },
    },
    {
      key: 'vip',
      name: { zh: '贵宾', en: 'VIP' },
      rank: 4,
      benefits: { zh: '免费升级房间、延迟退房', en: 'Free upgrades, late check-out' },
    },
  ],
  metrics: {
    stays: { measure: 'orders', window: { type: 'lifetime' }, label: { zh: '入住次数', en: 'Stays' } },
    nights: { measure: 'quantity', window: { type: 'lifetime' }, label: { zh: '入住晚数', en: 'Nights' } },
  },
  rules: [
    {
      id: 'vip',
      to: 'vip',
      when: {
        all: [
          { metric: 'stays', op: '>=', value: 20 },
          { metric: 'nights', op: '>', value: 30 },
        ],
      },
      reason: {
        zh: '您累计入住{stays}次、{nights}晚（不少于20次且超过30晚）',
        en: 'you have stayed {stays} times, {nights} nights (at least 20 stays and more than 30 nights)',
      },
    },
    {
      id: 'regular',
      to: 'regular',
      when: {
        any: [
          { metric: 'stays', op: '>=', value: 10 },
          { metric: 'nights', op: '>=', value: 15 },
        ],
      },
      reason: {
        zh: '您累计入住{stays}次、{nights}晚（不少于10次或不少于15晚）',
        en: 'you have stayed {stays} times, {nights} nights (at least 10 stays or 15 nights)',
      },
    },
    {
      id: 'new',
      to: 'new',
      when: { metric: 'stays', op: '<=', value: 1 },
      reason: { zh: '您累计入住{stays}次', en: 'you have stayed {stays} times' },
    },
    {
      id: 'member',
      to: 'member',
      when: { always: true },
      reason: { zh: '您累计入住{stays}次、{nights}晚', en: 'you have stayed {stays} times, {nights} nights' },
    },
  ],
  otherwise: 'hold',
  cadence: 'monthly',
  notices: {
    enabled: true,
    promotion: { zh: '{reason}，已升级为{tier}。', en: 'Because {reason}, you are now {tier}.' },
    demotion: { zh: '{reason}，等级调整为{tier}。', en: 'Because {reason}, your tier is now {tier}.' },
    assignment: { zh: '{reason}，您的等级为{tier}。', en: 'Because {reason}, your tier is {tier}.' },
  },
};

const abc: SchemeInput = {
  id: 'abc',
  name: { zh: '大客户 ABC 分类', en: 'Key accounts A/B/C' },
  description: {
    zh: '按最近365天交易额从高到低排序：前面客户的交易额累计不到总额80%的为A类，不到95%的为B类，其余及无交易的为C类。',
    en: 'Customers sorted by revenue over the last 365 days, highest first: A while the revenue ahead is below 80% of the total, B below 95%, C for the rest and for customers without revenue.',
  },
  tiers: [
    {
      key: 'C',
      name: { zh: 'C类客户', en: 'C account' },
      rank: 1,
      benefits: { zh: '邮件、短信联系', en: 'E-mail and SMS' },
    },
    {
      key: 'B',
      name: { zh: 'B类客户', en: 'B account' },
      rank: 2,
      benefits: { zh: '每季度电话回访', en: 'Quarterly calls' },
    },
    {
      key: 'A',
      name: { zh: 'A类客户', en: 'A account' },
      rank: 3,
      benefits: { zh: '每月拜访', en: 'Monthly visits' },
    },
  ],
  metrics: {
    revenue: {
      measure: 'spend',
      window: { type: 'days', days: 365 },
      label: { zh: '年交易额', en: 'Annual revenue' },
    },
    share_before: { measure: 'shareBefore', of: 'revenue', label: { zh: '前序累计占比', en: 'Share ahead' } },
  },
  rules: [
    {
      id: 'no_revenue',
      to: 'C',
      when: { metric: 'revenue', op: '=', value: 0 },
      reason: { zh: '最近一年无交易额', en: 'no revenue over the last year' },
    },
    {
      id: 'top_80',
      to: 'A',
      when: { metric: 'share_before', op: '<', value: '0.80' },
      reason: {
        zh: '最近一年交易额{revenue}元，排名在前80%的交易额之内（之前累计{share_before}）',
        en: 'revenue of {revenue} over the last year, within the top 80% of revenue (share ahead {share_before})',
      },
    },
    {
      id: 'next_15',
      to: 'B',
      when: { metric: 'share_before', op: '<', value: '0.95' },
      reason: {
        zh: '最近一年交易额{revenue}元，排名在80%至95%的交易额之间（之前累计{share_before}）',
        en: 'revenue of {revenue} over the last year, between 80% and 95% of revenue (share ahead {share_before})',
      },
    },
    {
      id: 'rest',
      to: 'C',
      when: { always: true },
      reason: {
        zh: '最近一年交易额{revenue}元，排名在95%的交易额之后',
        en: 'revenue of {revenue} over the last year, after 95% of revenue',
      },
    },
  ],
  otherwise: 'hold',
  cadence: 'quarterly',
  notices: { enabled: false },
  cadences: {
    A: { everyMonths: 1, method: 'visit', content: { zh: '每月拜访', en: 'Monthly visit' } },
    B: { everyMonths: 3, method: 'phone', content: { zh: '每季度电话回访', en: 'Quarterly call' } },
    C: { everyMonths: 3, method: 'email', content: { zh: '每季度邮件联系', en: 'Quarterly e-mail' } },
  },
};

export const presets: readonly SchemeInput[] = [monthlySpend, ecommerceMembership, hotel, abc];

export function findPreset(name: string): SchemeInput | undefined {
  return presets.find((preset) => preset.id === name);
}
