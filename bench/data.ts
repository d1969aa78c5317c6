/**
 * Deterministic, realistic data for the benchmark: Chinese SME customers (person and company names,
 * phones written the ways people write them, e-mails, regions, tags) and their purchases.
 * Customer `i` is a pure function of (seed, i), so any customer can be regenerated on its own —
 * for the search queries and for bulk loads beyond the CSV file.
 */
import { pinyin } from 'pinyin-pro';
import { Rng, weights } from './rng.js';

// ---------------------------------------------------------------------------------------------------------
// Word lists

/** Common surnames with rough relative frequencies (per mille of the population). */
const SURNAMES = weights<string>([
  ['王', 72],
  ['李', 72],
  ['张', 68],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['黄', 22],
  ['赵', 22],
  ['吴', 20],
  ['周', 19],
  ['徐', 13],
  ['孙', 12],
  ['马', 12],
  ['朱', 11],
  ['胡', 10],
  ['郭', 10],
  ['何', 9],
  ['高', 9],
  ['林', 9],
  ['罗', 8],
  ['郑', 8],
  ['梁', 7],
  ['谢', 6],
  ['宋', 6],
  ['唐', 5],
  ['许', 5],
  ['韩', 5],
  ['冯', 5],
  ['邓', 5],
  ['曹', 5],
  ['彭', 4],
  ['曾', 4],
  ['肖', 4],
  ['田', 4],
  ['董', 4],
  ['袁', 4],
  ['潘', 3],
  ['于', 3],
  ['蒋', 3],
  ['蔡', 3],
  ['余', 3],
  ['杜', 3],
  ['叶', 3],
  ['程', 3],
  ['苏', 3],
  ['魏', 3],
  ['吕', 3],
  ['丁', 3],
  ['任', 3],
  ['沈', 3],
  ['姚', 2],
  ['卢', 2],
  ['姜', 2],
  ['崔', 2],
  ['钟', 2],
  ['谭', 2],
  ['陆', 2],
  ['汪', 2],
  ['范', 2],
  ['金', 2],
  ['石', 2],
  ['廖', 2],
  ['贾', 2],
  ['夏', 2],
  ['韦', 2],
  ['方', 2],
  ['白', 2],
  ['邹', 2],
  ['孟', 2],
  ['熊', 2],
  ['秦', 2],
  ['邱', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['段', 1],
  ['雷', 1],
  ['侯', 1],
  ['龙', 1],
  ['史', 1],
  ['陶', 1],
  ['黎', 1],
  ['贺', 1],
  ['顾', 1],
  ['毛', 1],
  ['郝', 1],
  ['龚', 1],
  ['邵', 1],
  ['万', 1],
  ['钱', 1],
  ['严', 1],
  ['武', 1],
  ['戴', 1],
  ['莫', 1],
  ['孔', 1],
  ['汤', 1],
  ['欧阳', 0.3],
  ['司马', 0.1],
  ['诸葛', 0.1],
  ['上官', 0.1],
]);

const GIVEN_MALE = Array.from(
  '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志文海峰东亮成晨博然睿轩泽子豪天佳晓振宏',
);
const GIVEN_FEMALE = Array.from(
  '芳娜敏静丽艳娟霞秀英华慧巧美娅玲琳雪梅兰婷倩颖琪晶莹洁璐露瑶怡欣雨诗梦萌菲佳悦蕾薇嘉月彤玉红燕萍婉',
);

const BRAND_CHARS = Array.from(
  '鑫源华瑞恒泰盛达宏佳益兴信诚汇锦辉嘉丰安康博德福海金隆美明鹏荣顺天通伟祥新亿永裕振正中卓远创东方光国和鸿建杰凯力联龙茂普启强森晟胜腾万旺星耀宇元越云智',
);

/** Industry, the word a company name carries for it, and the company's likely e-mail domain stem. */
const INDUSTRIES: readonly (readonly [string, string, string])[] = [
  ['电子', '电子科技', 'tech'],
  ['制造业', '机械设备', 'machinery'],
  ['贸易', '贸易', 'trade'],
  ['食品', '食品', 'food'],
  ['服装', '服饰', 'fashion'],
  ['建材', '建材', 'build'],
  ['物流', '物流', 'logistics'],
  ['互联网', '网络科技', 'net'],
  ['餐饮', '餐饮管理', 'catering'],
  ['医疗', '医疗器械', 'medical'],
  ['化工', '化工', 'chem'],
  ['家居', '家具', 'home'],
  ['印刷', '印刷包装', 'print'],
  ['汽车', '汽车配件', 'auto'],
  ['教育', '教育咨询', 'edu'],
  ['农业', '农业科技', 'agri'],
];

const COMPANY_SUFFIXES = weights<string>([
  ['有限公司', 70],
  ['有限责任公司', 10],
  ['股份有限公司', 5],
  ['商行', 6],
  ['工作室', 4],
  ['经营部', 5],
]);

/** Province, weight, and its cities with their landline area codes. */
const REGIONS: readonly (readonly [string, number, readonly (readonly [string, string])[]])[] = [
  [
    '广东',
    12,
    [
      ['广州', '20'],
      ['深圳', '755'],
      ['东莞', '769'],
      ['佛山', '757'],
      ['珠海', '756'],
      ['汕头', '754'],
    ],
  ],
  [
    '浙江',
    9,
    [
      ['杭州', '571'],
      ['宁波', '574'],
      ['温州', '577'],
      ['义乌', '579'],
      ['绍兴', '575'],
    ],
  ],
  [
    '江苏',
    9,
    [
      ['南京', '25'],
      ['苏州', '512'],
      ['无锡', '510'],
      ['常州', '519'],
      ['南通', '513'],
    ],
  ],
  [
    '山东',
    7,
    [
      ['济南', '531'],
      ['青岛', '532'],
      ['烟台', '535'],
      ['潍坊', '536'],
    ],
  ],
  ['北京', 6, [['北京', '10']]],
  ['上海', 6, [['上海', '21']]],
  [
    '河南',
    5,
    [
      ['郑州', '371'],
      ['洛阳', '379'],
    ],
  ],
  [
    '四川',
    5,
    [
      ['成都', '28'],
      ['绵阳', '816'],
    ],
  ],
  [
    '湖北',
    4,
    [
      ['武汉', '27'],
      ['宜昌', '717'],
    ],
  ],
  [
    '湖南',
    4,
    [
      ['长沙', '731'],
      ['株洲', '731'],
    ],
  ],
  [
    '福建',
    4,
    [
      ['福州', '591'],
      ['厦门', '592'],
      ['泉州', '595'],
    ],
  ],
  [
    '河北',
    3,
    [
      ['石家庄', '311'],
      ['保定', '312'],
    ],
  ],
  [
    '安徽',
    3,
    [
      ['合肥', '551'],
      ['芜湖', '553'],
    ],
  ],
  ['天津', 2, [['天津', '22']]],
  ['重庆', 2, [['重庆', '23']]],
  ['陕西', 2, [['西安', '29']]],
  [
    '辽宁',
    2,
    [
      ['沈阳', '24'],
      ['大连', '411'],
    ],
  ],
  ['云南', 1, [['昆明', '871']]],
  ['广西', 1, [['南宁', '771']]],
  ['江西', 1, [['南昌', '791']]],
];
const REGION_TABLE = weights(REGIONS.map((region) => [region, region[1]] as const));

/** Area codes whose local numbers have 7 digits; the others have 8. */
const SEVEN_DIGIT_AREAS = new Set(['754', '756', '535', '536', '816', '717', '592', '312', '553', '771']);

const DISTRICTS = ['高新区', '经开区', '城关区', '新城区', '南山区', '天河区', '滨江区', '工业园区'];
const ROADS = [
  '人民路',
  '解放路',
  '建设路',
  '中山路',
  '长江路',
  '科技路',
  '工业大道',
  '创业路',
  '东风路',
  '和平路',
];

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '175',
  '176',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '198',
  '199',
];
const MAIL_DOMAINS = weights<string>([
  ['163.com', 30],
  ['126.com', 12],
  ['sina.com', 6],
  ['foxmail.com', 8],
  ['gmail.com', 4],
  ['hotmail.com', 3],
  ['139.com', 4],
]);

/** The sales people who own customers (created as users by the bench; `owner` in the CSV). */
export const OWNERS = [
  'zhangwei',
  'wangfang',
  'lina',
  'liuyang',
  'chenjing',
  'yanglei',
  'zhaomin',
  'huangqiang',
  'zhoujie',
  'wuxia',
  'xuhao',
  'sunli',
];

const TAGS = [
  '重点',
  '老客户',
  '新客户',
  '经销商',
  '大客户',
  '回头客',
  '价格敏感',
  '需跟进',
  '展会',
  '线上',
  '转介绍',
];
const SOURCES = ['官网', '展会', '转介绍', '电话营销', '线下门店', '微信', '阿里巴巴', '抖音'];
const NOTES = [
  '月底前回访',
  '对价格比较敏感',
  '希望提供样品',
  '需要开增值税专票',
  '年底有采购计划',
  '老板亲自对接',
];

const STAGES = weights<readonly [string, string]>([
  [['潜在', 'potential'], 35],
  [['意向', 'intent'], 20],
  [['成交', 'closed'], 35],
  [['流失', 'churned'], 10],
]);
const STATUSES = weights<readonly [string, string]>([
  [['活跃', 'active'], 80],
  [['暂停', 'paused'], 12],
  [['终止', 'terminated'], 8],
]);

// ---------------------------------------------------------------------------------------------------------
// Customers

/** The CSV header of the customer file, in API field names (what importCustomers() reads). */
export const CUSTOMER_CSV_COLUMNS = [
  'code',
  'name',
  'type',
  'company',
  'stage',
  'status',
  'vip',
  'industry',
  'source',
  'companySize',
  'province',
  'city',
  'address',
  'phone',
  'email',
  'wechat',
  'gender',
  'birthYear',
  'tags',
  'firstContactOn',
  'owner',
  'notes',
] as const;
export type CustomerCsvColumn = (typeof CUSTOMER_CSV_COLUMNS)[number];

export interface GeneratedCustomer {
  /** The row as a spreadsheet holds it: Chinese labels, phones with spaces or dashes, tags joined by `;`. */
  csv: Record<CustomerCsvColumn, string>;
  /** The same customer as the import's validation turns it into stored values (for bulk loads). */
  fields: Record<CustomerCsvColumn, unknown>;
  /** Person name (for an enterprise whose name is the company: its contact person). */
  person: string;
  /** The company's brand word (e.g. 鑫源), if there is a company. */
  brand: string | null;
  /** The national digits of the phone, if any. */
  phoneDigits: string | null;
}

export function customerCode(index: number): string {
  return `C${String(index + 1).padStart(7, '0')}`;
}

function personName(rng: Rng): { name: string; male: boolean } {
  const male = rng.chance(0.55);
  const pool = male ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rng.chance(0.3) ? rng.pick(pool) : rng.pick(pool) + rng.pick(pool);
  return { name: rng.weighted(SURNAMES) + given, male };
}

function pinyinOf(name: string, surname: boolean): string[] {
  return pinyin(name, { toneType: 'none', type: 'array', surname: surname ? 'head' : 'off', v: true });
}

function isoDate(rng: Rng, fromYear: number, toYear: number): string {
  const year = rng.int(fromYear, toYear);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function mobile(rng: Rng): { csv: string; e164: string; digits: string } {
  const digits = rng.pick(MOBILE_PREFIXES) + rng.digits(8);
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 7);
  const c = digits.slice(7);
  const r = rng.next();
  const csv = r < 0.4 ? digits : r < 0.65 ? `${a} ${b} ${c}` : r < 0.85 ? `${a}-${b}-${c}` : `+86 ${digits}`;
  return { csv, e164: `+86${digits}`, digits };
}

function landline(rng: Rng, areaCode: string): { csv: string; e164: string; digits: string } {
  const local = String(rng.int(2, 7)) + rng.digits(SEVEN_DIGIT_AREAS.has(areaCode) ? 6 : 7);
  const split =
    local.length === 8 ? `${local.slice(0, 4)} ${local.slice(4)}` : `${local.slice(0, 3)} ${local.slice(3)}`;
  return { csv: `0${areaCode}-${split}`, e164: `+86${areaCode}${local}`, digits: `0${areaCode}${local}` };
}

/** Customer number `index` (0-based) of the data set with the given seed. */
export function generateCustomer(seed: number, index: number): GeneratedCustomer {
  const rng = new Rng(seed * 7_919 + index * 104_729 + 17);
  const region = rng.weighted(REGION_TABLE);
  const [province, , cities] = region;
  const [city, areaCode] = rng.pick(cities);
  const person = personName(rng);
  const enterprise = rng.chance(0.35);
  const hasCompany = enterprise || rng.chance(0.25);
  const industry = rng.pick(INDUSTRIES);
  let company: string | null = null;
  let brand: string | null = null;
  if (hasCompany) {
    brand = rng.pick(BRAND_CHARS) + rng.pick(BRAND_CHARS);
    const place = rng.chance(0.7) ? `${city}市` : '';
    company = `${place}${brand}${industry[1]}${rng.weighted(COMPANY_SUFFIXES)}`;
  }
  const name = enterprise && rng.chance(0.5) && company ? company : person.name;
  const [stageLabel, stage] = rng.weighted(STAGES);
  const [statusLabel, status] = rng.weighted(STATUSES);
  const vip = rng.chance(0.08);

  let phone: { csv: string; e164: string; digits: string } | null = null;
  if (rng.chance(0.92)) phone = rng.chance(0.85) ? mobile(rng) : landline(rng, areaCode);

  let email: string | null = null;
  if (rng.chance(0.7)) {
    const syllables = pinyinOf(person.name, true);
    const r = rng.next();
    if (r < 0.3) email = `${rng.int(10000, 2999999999)}@qq.com`;
    else if (r < 0.55 && company)
      email = `${syllables.slice(1).join('')}.${syllables[0]}@${brand ? pinyinOf(brand, false).join('') : 'mail'}${industry[2]}.com`;
    else
      email = `${syllables.join('')}${rng.chance(0.6) ? rng.int(1, 9999) : ''}@${rng.weighted(MAIL_DOMAINS)}`;
  }
  const wechat = rng.chance(0.4) ? `wx${pinyinOf(person.name, true).join('')}${rng.int(10, 999)}` : null;
  const tagCount = rng.weighted(
    weights([
      [0, 40],
      [1, 35],
      [2, 18],
      [3, 7],
    ]),
  );
  const tags = Array.from(new Set(Array.from({ length: tagCount }, () => rng.pick(TAGS))));
  const gender = enterprise ? null : person.male ? 'male' : 'female';
  const birthYear = !enterprise && rng.chance(0.5) ? rng.int(1955, 2004) : null;
  const address = rng.chance(0.6)
    ? `${province}${city}${rng.pick(DISTRICTS)}${rng.pick(ROADS)}${rng.int(1, 999)}号`
    : null;
  const companySize = enterprise ? rng.pick(['small', 'small', 'medium', 'large'] as const) : null;
  const firstContactOn = isoDate(rng, 2018, 2025);
  const owner = rng.chance(0.9) ? rng.pick(OWNERS) : null;
  const notes = rng.chance(0.15) ? rng.pick(NOTES) : null;
  const source = rng.chance(0.8) ? rng.pick(SOURCES) : null;
  const industryName = hasCompany ? industry[0] : null;
  const code = customerCode(index);
  const sizeLabel = { small: '小型', medium: '中型', large: '大型' } as const;

  return {
    csv: {
      code,
      name,
      type: enterprise ? '企业' : '个人',
      company: company ?? '',
      stage: stageLabel,
      status: statusLabel,
      vip: vip ? '是' : '',
      industry: industryName ?? '',
      source: source ?? '',
      companySize: companySize ? sizeLabel[companySize] : '',
      province,
      city,
      address: address ?? '',
      phone: phone?.csv ?? '',
      email: email ?? '',
      wechat: wechat ?? '',
      gender: gender === null ? '' : gender === 'male' ? '男' : '女',
      birthYear: birthYear === null ? '' : String(birthYear),
      tags: tags.join(';'),
      firstContactOn: firstContactOn.replaceAll('-', '/'),
      owner: owner ?? '',
      notes: notes ?? '',
    },
    fields: {
      code,
      name,
      type: enterprise ? 'enterprise' : 'individual',
      company,
      stage,
      status,
      vip: vip ? true : null,
      industry: industryName,
      source,
      companySize,
      province,
      city,
      address,
      phone: phone?.e164 ?? null,
      email,
      wechat,
      gender,
      birthYear,
      tags,
      firstContactOn,
      owner,
      notes,
    },
    person: person.name,
    brand,
    phoneDigits: phone?.digits ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Transactions

/** Product, category, unit price range in yuan, and whether it is sold by weight (decimal quantity). */
const PRODUCTS: readonly (readonly [string, string, number, number, boolean])[] = [
  ['办公椅', '家具', 280, 1200, false],
  ['会议桌', '家具', 1500, 6800, false],
  ['A4复印纸', '办公用品', 18, 35, false],
  ['墨盒', '办公用品', 60, 260, false],
  ['笔记本电脑', '电子产品', 3500, 12000, false],
  ['显示器', '电子产品', 800, 3200, false],
  ['路由器', '电子产品', 120, 900, false],
  ['茶叶', '食品', 80, 1200, true],
  ['大米', '食品', 4, 9, true],
  ['食用油', '食品', 60, 180, false],
  ['工作服', '服装', 45, 260, false],
  ['劳保鞋', '服装', 80, 320, false],
  ['螺丝钉', '五金', 0.1, 2, false],
  ['电线', '五金', 3, 12, true],
  ['打印服务', '服务', 50, 2000, false],
  ['安装调试', '服务', 200, 5000, false],
  ['润滑油', '化工', 30, 150, true],
  ['包装箱', '包装', 2, 15, false],
];

export const TRANSACTION_CSV_COLUMNS = [
  'customer_code',
  'date',
  'amount',
  'quantity',
  'product',
  'category',
] as const;

/** One purchase line: customers are picked with a skew (a few buy often, most rarely). */
export function generateTransaction(rng: Rng, customers: number): string[] {
  const index = Math.min(customers - 1, Math.floor(customers * rng.next() ** 1.6));
  const [product, category, low, high, byWeight] = rng.pick(PRODUCTS);
  const quantity = byWeight
    ? (rng.int(5, 500) / 10).toFixed(1)
    : String(rng.chance(0.6) ? rng.int(1, 5) : rng.int(6, 200));
  const price = low + rng.next() * (high - low);
  const amount = (Math.round(price * Number(quantity) * 100) / 100).toFixed(2);
  return [customerCode(index), isoDate(rng, 2023, 2025), amount, quantity, product, category];
}
