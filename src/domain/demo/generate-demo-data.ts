/**
 * Deterministic demo data for Clientele: a realistic Chinese SME customer base with contacts and two
 * years of transactions. Pure: no I/O, no clock, no Math.random — the same options always give the
 * same (byte-identical once serialised) result.
 */

export type DemoCustomerType = 'individual' | 'enterprise';
export type DemoStage = 'potential' | 'intent' | 'closed' | 'churned';
export type DemoStatus = 'active' | 'paused' | 'terminated';
export type DemoCompanySize = 'small' | 'medium' | 'large';
export type DemoAgeBand = 'under_25' | '25_34' | '35_44' | '45_54' | '55_plus';
export type DemoGender = 'male' | 'female';
export type DemoIncomeLevel = 'low' | 'middle' | 'high';
export type DemoCreditStatus = 'good' | 'watch' | 'overdue';
export type DemoCommunicationChannel = 'phone' | 'email' | 'wechat' | 'sms' | 'visit';

export interface DemoCustomer {
  /** `KH` + year of cooperation (or first contact) + 5-digit sequence, e.g. `KH202400017`. */
  code?: string;
  name: string;
  type: DemoCustomerType;
  company?: string;
  stage?: DemoStage;
  status?: DemoStatus;
  vip?: boolean;
  industry?: string;
  source?: string;
  companySize?: DemoCompanySize;
  province?: string;
  city?: string;
  address?: string;
  phone?: string;
  email?: string;
  wechat?: string;
  qq?: string;
  birthYear?: number;
  ageBand?: DemoAgeBand;
  gender?: DemoGender;
  occupation?: string;
  incomeLevel?: DemoIncomeLevel;
  firstContactOn?: string;
  cooperationStartOn?: string;
  paymentMethod?: string;
  creditStatus?: DemoCreditStatus;
  needs?: string;
  purchasePreferences?: string;
  communicationChannel?: DemoCommunicationChannel;
  communicationTime?: string;
  interests?: string;
  serviceExpectations?: string;
  notes?: string;
  tags?: string[];
  custom?: Record<string, string | number | boolean | string[]>;
}

export interface DemoContact {
  customerCode: string;
  name: string;
  title: string;
  phone: string;
  email?: string;
  wechat?: string;
  isPrimary: boolean;
}

export interface DemoTransaction {
  customerCode: string;
  /** YYYY-MM-DD */
  occurredOn: string;
  product: string;
  category: string;
  /** Decimal string, e.g. `'3'`. */
  quantity: string;
  /** Decimal string with two decimals, e.g. `'1280.00'`. */
  amount: string;
  cost?: string;
  channel: string;
  /** Unique, e.g. `DEMO-000001`. */
  externalRef: string;
}

export interface DemoData {
  customers: DemoCustomer[];
  contacts: DemoContact[];
  transactions: DemoTransaction[];
}

export interface GenerateDemoDataOptions {
  seed?: number;
  customers?: number;
  /** The "today" of the data set, YYYY-MM-DD. */
  asOf: string;
}

const DEFAULT_SEED = 1;
const DEFAULT_CUSTOMERS = 2000;
/** Days in the transaction window, asOf included (asOf - 729 … asOf). */
const WINDOW_DAYS = 730;
/** A churned customer has bought nothing for at least this many days. */
const CHURN_QUIET_DAYS = 183;

// ---------------------------------------------------------------------------------------------------------
// Random numbers

type Rng = () => number;

/** sfc32 seeded through splitmix32: small, fast, and good enough for demo data. */
function createRng(seed: number): Rng {
  let s = Math.trunc(seed) >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** Integer in [min, max]. */
function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

type Weighted<T> = readonly (readonly [T, number])[];

function weighted<T>(rng: Rng, items: Weighted<T>): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let r = rng() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new Error('weighted pick from an empty list');
  return last[0];
}

/** `count` distinct items (fewer if the list is shorter), in list order. */
function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const chosen = new Set<number>();
  const n = Math.min(count, items.length);
  while (chosen.size < n) chosen.add(Math.floor(rng() * items.length));
  return [...chosen].sort((x, y) => x - y).map((i) => items[i] as T);
}

/** Approximately normal (Irwin–Hall of 6 uniforms): mean 0, sd 1, bounded to ±4.2. */
function gauss(rng: Rng): number {
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += rng();
  return (sum - 3) * Math.SQRT2;
}

// ---------------------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01), proleptic Gregorian, no Date object needed

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function formatDay(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function parseDay(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`asOf must be a YYYY-MM-DD date, got ${JSON.stringify(text)}`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  const days = daysFromCivil(y, m, d);
  if (formatDay(days) !== text) throw new RangeError(`asOf is not a calendar date: ${text}`);
  return days;
}

/** Spring Festival (春节) dates; years outside the table fall back to early February. */
const SPRING_FESTIVAL: Readonly<Record<number, string>> = {
  2015: '02-19',
  2016: '02-08',
  2017: '01-28',
  2018: '02-16',
  2019: '02-05',
  2020: '01-25',
  2021: '02-12',
  2022: '02-01',
  2023: '01-22',
  2024: '02-10',
  2025: '01-29',
  2026: '02-17',
  2027: '02-06',
  2028: '01-26',
  2029: '02-13',
  2030: '02-03',
  2031: '01-23',
  2032: '02-11',
  2033: '01-31',
  2034: '02-19',
  2035: '02-08',
};

function springFestival(year: number): number {
  const md = SPRING_FESTIVAL[year] ?? '02-05';
  return daysFromCivil(year, Number(md.slice(0, 2)), Number(md.slice(3, 5)));
}

const MONTH_FACTOR = [1.05, 0.95, 1.0, 1.0, 1.05, 1.1, 0.78, 0.7, 1.0, 0.95, 1.2, 1.15] as const;

/** Relative purchase intensity of one day: 春节 run-up and lull, 618, 双十一, summer dip, 国庆, weekends. */
function dayWeight(days: number): number {
  const [y, m, d] = civilFromDays(days);
  let w = MONTH_FACTOR[m - 1] ?? 1;
  const fromFestival = days - springFestival(y);
  if (fromFestival >= -24 && fromFestival < -2) w *= 1.9;
  else if (fromFestival >= -2 && fromFestival <= 6) w *= 0.25;
  else if (fromFestival > 6 && fromFestival <= 14) w *= 0.7;
  if (m === 6 && d <= 18) w *= d >= 16 ? 2.6 : 1.6;
  if (m === 11 && d <= 11) w *= d >= 9 ? 3.4 : 2.0;
  if (m === 12 && d === 12) w *= 1.6;
  if (m === 10 && d <= 7) w *= 0.6;
  const weekday = (((days + 4) % 7) + 7) % 7; // 0 = Sunday
  if (weekday === 0 || weekday === 6) w *= 0.8;
  return w;
}

/** Cumulative, mean-normalised day weights over the window, for fast weighted date sampling. */
class Calendar {
  readonly start: number;
  readonly end: number;
  private readonly cum: Float64Array;

  constructor(start: number, end: number) {
    this.start = start;
    this.end = end;
    const n = end - start + 1;
    const raw = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      raw[i] = dayWeight(start + i);
      total += raw[i] ?? 0;
    }
    const scale = n / total;
    this.cum = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) this.cum[i + 1] = (this.cum[i] ?? 0) + (raw[i] ?? 0) * scale;
  }

  /** Weighted "number of average days" in [from, to]. */
  mass(from: number, to: number): number {
    return (this.cum[to - this.start + 1] ?? 0) - (this.cum[from - this.start] ?? 0);
  }

  /** A day in [from, to] drawn with the seasonal weights. */
  sample(rng: Rng, from: number, to: number): number {
    const lo = this.cum[from - this.start] ?? 0;
    const hi = this.cum[to - this.start + 1] ?? 0;
    const target = lo + rng() * (hi - lo);
    let a = from - this.start;
    let b = to - this.start;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if ((this.cum[mid] ?? 0) <= target) a = mid;
      else b = mid - 1;
    }
    return this.start + a;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reference data

/** Parses `'王wang 欧阳ouyang'` into `[['王', 'wang'], ['欧阳', 'ouyang']]`. */
function hanPinyin(text: string): [string, string][] {
  return text
    .trim()
    .split(/\s+/)
    .map((token) => {
      const match = /^(\p{Script=Han}+)([a-z]+)$/u.exec(token);
      if (!match?.[1] || !match[2]) throw new Error(`bad reference token ${token}`);
      return [match[1], match[2]];
    });
}

/** Surnames with a rough share (%) of the population. */
const SURNAMES: Weighted<readonly [string, string]> = (() => {
  const shares: [string, number][] = [
    ['王wang 李li', 7.1],
    ['张zhang', 6.8],
    ['刘liu', 5.4],
    ['陈chen', 4.6],
    ['杨yang', 3.1],
    ['黄huang', 2.2],
    ['赵zhao 吴wu 周zhou', 2.0],
    ['徐xu 孙sun', 1.5],
    ['马ma 朱zhu 胡hu', 1.3],
    ['郭guo 何he 林lin 高gao', 1.15],
    ['罗luo 郑zheng 梁liang', 0.95],
    ['谢xie 宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao', 0.75],
    ['彭peng 曾zeng 肖xiao 田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai 余yu 杜du 叶ye 程cheng 苏su', 0.55],
    ['魏wei 吕lv 丁ding 任ren 沈shen 姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin', 0.42],
    ['石shi 廖liao 贾jia 夏xia 韦wei 付fu 方fang 白bai 邹zou 孟meng 熊xiong 秦qin 邱qiu 江jiang 尹yin', 0.32],
    ['薛xue 闫yan 段duan 雷lei 侯hou 龙long 史shi 陶tao 黎li 贺he 顾gu 毛mao 郝hao 龚gong 邵shao', 0.25],
    ['万wan 钱qian 严yan 覃qin 武wu 戴dai 莫mo 孔kong 向xiang 汤tang 常chang 温wen 康kang 施shi 文wen', 0.18],
    ['欧阳ouyang', 0.06],
    ['上官shangguan 司马sima 诸葛zhuge', 0.01],
  ];
  return shares.flatMap(([text, share]) => hanPinyin(text).map((pair) => [pair, share] as const));
})();

const MALE_GIVEN = hanPinyin(
  '伟wei 强qiang 磊lei 军jun 勇yong 杰jie 涛tao 斌bin 超chao 明ming 刚gang 平ping 辉hui 鹏peng 华hua 飞fei ' +
    '鑫xin 波bo 宇yu 浩hao 凯kai 健jian 俊jun 帆fan 帅shuai 旭xu 宁ning 龙long 林lin 阳yang 峰feng 建jian ' +
    '国guo 志zhi 文wen 博bo 晨chen 轩xuan 然ran 泽ze 昊hao 天tian 远yuan 家jia 豪hao 海hai 东dong 亮liang ' +
    '鸿hong 成cheng 毅yi 振zhen 子zi 睿rui 一yi 嘉jia 航hang 晓xiao 永yong 春chun 立li 德de 荣rong 兵bing',
);

const FEMALE_GIVEN = hanPinyin(
  '芳fang 娜na 敏min 静jing 丽li 艳yan 娟juan 霞xia 秀xiu 英ying 玲ling 婷ting 雪xue 慧hui 颖ying 琳lin ' +
    '洁jie 倩qian 晶jing 燕yan 红hong 梅mei 萍ping 莉li 兰lan 欣xin 怡yi 雨yu 佳jia 琪qi 涵han 梦meng ' +
    '思si 诗shi 悦yue 可ke 馨xin 月yue 桂gui 晓xiao 文wen 婉wan 瑶yao 妍yan 璐lu 蕾lei 薇wei 露lu 凤feng ' +
    '春chun 子zi 一yi 若ruo 欢huan 丹dan',
);

/** Characters for company trade names (字号). */
const TRADE_NAME_CHARS = hanPinyin(
  '华hua 盛sheng 鼎ding 恒heng 泰tai 瑞rui 丰feng 达da 信xin 诚cheng 通tong 宏hong 远yuan 明ming 新xin ' +
    '润run 嘉jia 和he 兴xing 源yuan 力li 腾teng 凯kai 德de 正zheng 中zhong 海hai 汇hui 鑫xin 晟sheng 昌chang ' +
    '利li 安an 康kang 博bo 创chuang 启qi 智zhi 耀yao 锦jin 天tian 峰feng 隆long 金jin 宇yu 辰chen',
);

interface CityInfo {
  province: string;
  city: string;
  pinyin: string;
  districts: string[];
}

const REGIONS: Weighted<CityInfo> = (() => {
  const table: [string, number, [string, string, number, string][]][] = [
    [
      '广东省',
      14,
      [
        ['广州市', 'guangzhou', 5, '天河区 越秀区 海珠区 白云区 番禺区'],
        ['深圳市', 'shenzhen', 5, '南山区 福田区 宝安区 龙岗区 罗湖区'],
        ['东莞市', 'dongguan', 3, '南城街道 东城街道 长安镇 虎门镇'],
        ['佛山市', 'foshan', 3, '禅城区 南海区 顺德区'],
        ['珠海市', 'zhuhai', 1, '香洲区 金湾区'],
        ['惠州市', 'huizhou', 1, '惠城区 惠阳区'],
        ['中山市', 'zhongshan', 1, '石岐街道 东区街道 小榄镇'],
      ],
    ],
    [
      '浙江省',
      12,
      [
        ['杭州市', 'hangzhou', 6, '西湖区 拱墅区 上城区 滨江区 余杭区 萧山区'],
        ['宁波市', 'ningbo', 3, '海曙区 鄞州区 江北区 北仑区'],
        ['温州市', 'wenzhou', 2, '鹿城区 瓯海区 龙湾区'],
        ['金华市', 'jinhua', 1.5, '婺城区 金东区'],
        ['绍兴市', 'shaoxing', 1, '越城区 柯桥区'],
        ['嘉兴市', 'jiaxing', 1, '南湖区 秀洲区'],
        ['台州市', 'taizhou', 1, '椒江区 黄岩区 路桥区'],
      ],
    ],
    [
      '江苏省',
      11,
      [
        ['南京市', 'nanjing', 4, '玄武区 鼓楼区 建邺区 江宁区'],
        ['苏州市', 'suzhou', 4, '姑苏区 吴中区 相城区 虎丘区 吴江区'],
        ['无锡市', 'wuxi', 2, '梁溪区 滨湖区 新吴区'],
        ['常州市', 'changzhou', 1.5, '天宁区 武进区 新北区'],
        ['南通市', 'nantong', 1, '崇川区 通州区'],
        ['徐州市', 'xuzhou', 1, '鼓楼区 云龙区'],
      ],
    ],
    [
      '上海市',
      8,
      [['上海市', 'shanghai', 1, '浦东新区 徐汇区 静安区 闵行区 长宁区 杨浦区 普陀区 宝山区 嘉定区 松江区']],
    ],
    ['北京市', 7, [['北京市', 'beijing', 1, '朝阳区 海淀区 东城区 西城区 丰台区 通州区 昌平区 大兴区']]],
    [
      '山东省',
      7,
      [
        ['济南市', 'jinan', 3, '历下区 市中区 槐荫区 历城区'],
        ['青岛市', 'qingdao', 3, '市南区 市北区 黄岛区 崂山区 城阳区'],
        ['烟台市', 'yantai', 1, '芝罘区 莱山区'],
        ['潍坊市', 'weifang', 1, '奎文区 潍城区'],
        ['临沂市', 'linyi', 1, '兰山区 河东区'],
      ],
    ],
    [
      '四川省',
      6,
      [
        ['成都市', 'chengdu', 6, '锦江区 武侯区 青羊区 金牛区 成华区'],
        ['绵阳市', 'mianyang', 1, '涪城区 游仙区'],
        ['德阳市', 'deyang', 1, '旌阳区'],
      ],
    ],
    [
      '福建省',
      4,
      [
        ['福州市', 'fuzhou', 2, '鼓楼区 台江区 仓山区'],
        ['厦门市', 'xiamen', 2, '思明区 湖里区 集美区'],
        ['泉州市', 'quanzhou', 1.5, '丰泽区 鲤城区'],
      ],
    ],
    [
      '河南省',
      4,
      [
        ['郑州市', 'zhengzhou', 3, '金水区 二七区 中原区 管城回族区'],
        ['洛阳市', 'luoyang', 1, '西工区 洛龙区'],
      ],
    ],
    [
      '湖北省',
      4,
      [
        ['武汉市', 'wuhan', 4, '江汉区 武昌区 洪山区 江岸区 汉阳区'],
        ['宜昌市', 'yichang', 1, '西陵区 伍家岗区'],
      ],
    ],
    [
      '湖南省',
      3,
      [
        ['长沙市', 'changsha', 4, '岳麓区 芙蓉区 天心区 开福区 雨花区'],
        ['株洲市', 'zhuzhou', 1, '天元区 芦淞区'],
      ],
    ],
    [
      '安徽省',
      3,
      [
        ['合肥市', 'hefei', 4, '蜀山区 包河区 庐阳区 瑶海区'],
        ['芜湖市', 'wuhu', 1, '镜湖区 弋江区'],
      ],
    ],
    [
      '河北省',
      3,
      [
        ['石家庄市', 'shijiazhuang', 2, '长安区 桥西区 裕华区'],
        ['保定市', 'baoding', 1, '竞秀区 莲池区'],
        ['唐山市', 'tangshan', 1, '路北区 路南区'],
      ],
    ],
    ['重庆市', 3, [['重庆市', 'chongqing', 1, '渝中区 江北区 渝北区 南岸区 九龙坡区 沙坪坝区']]],
    ['天津市', 2, [['天津市', 'tianjin', 1, '和平区 河西区 南开区 滨海新区']]],
    ['陕西省', 2, [['西安市', 'xian', 1, '雁塔区 碑林区 未央区 莲湖区']]],
    [
      '辽宁省',
      2,
      [
        ['沈阳市', 'shenyang', 1, '和平区 沈河区 皇姑区'],
        ['大连市', 'dalian', 1, '中山区 沙河口区 甘井子区'],
      ],
    ],
    ['江西省', 1.5, [['南昌市', 'nanchang', 1, '东湖区 西湖区 红谷滩区']]],
    ['广西壮族自治区', 1.5, [['南宁市', 'nanning', 1, '青秀区 兴宁区 西乡塘区']]],
    ['云南省', 1.5, [['昆明市', 'kunming', 1, '五华区 盘龙区 官渡区']]],
    ['黑龙江省', 1, [['哈尔滨市', 'haerbin', 1, '南岗区 道里区 香坊区']]],
    ['吉林省', 1, [['长春市', 'changchun', 1, '朝阳区 南关区 绿园区']]],
    ['山西省', 1, [['太原市', 'taiyuan', 1, '小店区 迎泽区 杏花岭区']]],
    ['贵州省', 1, [['贵阳市', 'guiyang', 1, '云岩区 南明区 观山湖区']]],
    ['海南省', 0.7, [['海口市', 'haikou', 1, '龙华区 美兰区']]],
    ['内蒙古自治区', 0.5, [['呼和浩特市', 'huhehaote', 1, '新城区 赛罕区']]],
    ['新疆维吾尔自治区', 0.5, [['乌鲁木齐市', 'wulumuqi', 1, '天山区 沙依巴克区']]],
    ['甘肃省', 0.5, [['兰州市', 'lanzhou', 1, '城关区 七里河区']]],
  ];
  const out: (readonly [CityInfo, number])[] = [];
  for (const [province, provinceWeight, cities] of table) {
    const cityTotal = cities.reduce((sum, [, , w]) => sum + w, 0);
    for (const [city, pinyin, w, districts] of cities) {
      out.push([
        { province, city, pinyin, districts: districts.split(' ') },
        (provinceWeight * w) / cityTotal,
      ]);
    }
  }
  return out;
})();

const ROADS = (
  '人民路 中山路 解放路 建设路 新华路 文化路 和平路 胜利路 长江路 黄河路 朝阳路 青年路 东风路 友谊路 ' +
  '迎宾大道 工业大道 科技路 创业路 学府路 滨江路 光明路 幸福路 金融街 商贸大道 环城北路 环城南路 发展大道'
).split(' ');
const OFFICE_BUILDINGS =
  '金融大厦 国际商务中心 创业大厦 世贸中心 时代广场 财富中心 科技大厦 商会大厦 总部基地'.split(' ');
const PARKS = '工业园 科技园 产业园 物流园 经济开发区'.split(' ');
const ESTATES =
  '阳光花园 锦绣华庭 翠苑小区 幸福里 金色家园 和平新村 世纪花园 滨江花苑 东方名城 星河湾 御景园'.split(' ');

interface Product {
  name: string;
  /** Unit price range in yuan. */
  min: number;
  max: number;
  qtyMin: number;
  qtyMax: number;
  /** How often it is chosen relative to others: cheap consumables more often than big-ticket items. */
  weight: number;
}

interface Category {
  name: string;
  products: Product[];
}

interface IndustryInfo {
  name: string;
  /** Industry words for company names, each with a short ASCII tag for the web domain. */
  companyWords: [string, string][];
  catalog: Category[];
}

type ProductRow = [string, number, number, number, number];

function catalog(categories: [string, ProductRow[]][]): Category[] {
  return categories.map(([name, rows]) => ({
    name,
    products: rows.map(([productName, min, max, qtyMin, qtyMax]) => ({
      name: productName,
      min,
      max,
      qtyMin,
      qtyMax,
      weight: 1 / ((min + max) / 2) ** 0.45,
    })),
  }));
}

const INDUSTRIES: Weighted<IndustryInfo> = [
  [
    {
      name: '制造业',
      companyWords: [
        ['精密机械', 'jx'],
        ['电子科技', 'tech'],
        ['模具', 'mould'],
        ['五金制品', 'wj'],
        ['塑胶制品', 'sj'],
        ['自动化设备', 'auto'],
      ],
      catalog: catalog([
        [
          '原材料',
          [
            ['冷轧钢板', 4200, 5800, 1, 20],
            ['铝型材', 17000, 21000, 1, 5],
            ['工程塑料颗粒', 9800, 16000, 1, 8],
          ],
        ],
        [
          '零部件',
          [
            ['深沟球轴承', 8, 45, 50, 600],
            ['伺服电机', 1200, 4800, 1, 12],
            ['气缸', 180, 900, 2, 30],
            ['不锈钢紧固件', 120, 380, 5, 60],
          ],
        ],
        [
          '设备与维护',
          [
            ['数控刀具套装', 800, 3600, 1, 10],
            ['设备年度保养服务', 3000, 18000, 1, 1],
            ['工业润滑油', 380, 1200, 2, 20],
          ],
        ],
      ]),
    },
    20,
  ],
  [
    {
      name: '零售',
      companyWords: [
        ['商贸', 'trade'],
        ['百货', 'bh'],
        ['超市', 'market'],
        ['便利店', 'cvs'],
      ],
      catalog: catalog([
        [
          '商品采购',
          [
            ['休闲零食礼盒', 45, 168, 20, 300],
            ['饮料整箱', 36, 96, 20, 400],
            ['日化用品套装', 39, 129, 20, 200],
            ['粮油组合装', 68, 188, 10, 150],
          ],
        ],
        [
          '门店物料',
          [
            ['超市货架', 380, 1500, 2, 20],
            ['收银一体机', 1800, 4800, 1, 4],
            ['电子价签', 18, 45, 100, 1000],
            ['定制购物袋', 120, 380, 1, 20],
          ],
        ],
        [
          '系统服务',
          [
            ['门店收银系统年费', 1980, 8800, 1, 1],
            ['会员营销短信包', 500, 3000, 1, 3],
          ],
        ],
      ]),
    },
    15,
  ],
  [
    {
      name: '餐饮',
      companyWords: [
        ['餐饮管理', 'cy'],
        ['食品', 'food'],
        ['餐饮连锁', 'dining'],
      ],
      catalog: catalog([
        [
          '食材',
          [
            ['冷冻牛腩', 48, 78, 20, 300],
            ['东北大米', 120, 220, 5, 60],
            ['一级大豆油', 150, 280, 5, 60],
            ['鲜鸡蛋', 120, 220, 5, 50],
            ['时令蔬菜配送', 300, 2500, 1, 1],
          ],
        ],
        [
          '厨房用品',
          [
            ['一次性打包盒', 60, 180, 5, 80],
            ['不锈钢厨具套装', 380, 1800, 1, 6],
            ['厨房清洁剂', 90, 260, 2, 20],
          ],
        ],
        [
          '厨房设备',
          [
            ['商用冰柜', 2800, 7800, 1, 3],
            ['商用电磁炉', 1600, 6800, 1, 4],
            ['油烟净化器维护', 800, 3000, 1, 1],
          ],
        ],
      ]),
    },
    12,
  ],
  [
    {
      name: '教育培训',
      companyWords: [
        ['教育科技', 'edu'],
        ['教育咨询', 'jy'],
        ['培训', 'px'],
      ],
      catalog: catalog([
        [
          '教材教具',
          [
            ['学科教材', 35, 120, 20, 300],
            ['练习册', 12, 38, 50, 500],
            ['实验器材套装', 280, 1500, 5, 40],
          ],
        ],
        [
          '教学设备',
          [
            ['激光投影仪', 3800, 12800, 1, 6],
            ['学生平板电脑', 1500, 3200, 5, 60],
            ['课桌椅', 260, 680, 10, 120],
          ],
        ],
        [
          '软件服务',
          [
            ['在线课堂系统年费', 6800, 29800, 1, 1],
            ['题库服务', 1200, 6000, 1, 2],
          ],
        ],
      ]),
    },
    9,
  ],
  [
    {
      name: '医疗健康',
      companyWords: [
        ['医疗器械', 'med'],
        ['健康管理', 'health'],
        ['生物科技', 'bio'],
        ['医药连锁', 'yy'],
      ],
      catalog: catalog([
        [
          '医用耗材',
          [
            ['医用外科口罩', 80, 220, 5, 100],
            ['一次性医用手套', 120, 320, 5, 80],
            ['医用酒精', 60, 150, 5, 60],
            ['无菌注射器', 90, 260, 5, 60],
          ],
        ],
        [
          '医疗器械',
          [
            ['电子血压计', 180, 680, 2, 30],
            ['家用制氧机', 1800, 4800, 1, 10],
            ['理疗仪', 2600, 12800, 1, 5],
            ['护理床', 1800, 6800, 1, 10],
          ],
        ],
        [
          '健康产品',
          [
            ['营养补充剂', 128, 498, 10, 200],
            ['体检套餐', 399, 2599, 5, 80],
          ],
        ],
      ]),
    },
    8,
  ],
  [
    {
      name: '互联网',
      companyWords: [
        ['网络科技', 'net'],
        ['信息技术', 'it'],
        ['软件', 'soft'],
        ['数字科技', 'digital'],
      ],
      catalog: catalog([
        [
          '硬件设备',
          [
            ['机架式服务器', 18000, 68000, 1, 4],
            ['笔记本电脑', 4500, 12800, 1, 20],
            ['显示器', 900, 3200, 2, 40],
            ['交换机', 800, 6800, 1, 10],
          ],
        ],
        [
          '云与软件',
          [
            ['云服务器年费', 3600, 36000, 1, 3],
            ['企业邮箱年费', 800, 5000, 1, 1],
            ['正版办公软件授权', 300, 1200, 5, 80],
            ['网络安全服务', 5000, 30000, 1, 1],
          ],
        ],
        [
          '办公家具',
          [
            ['人体工学椅', 800, 2600, 2, 40],
            ['升降办公桌', 1200, 3800, 2, 30],
          ],
        ],
      ]),
    },
    9,
  ],
  [
    {
      name: '建筑装饰',
      companyWords: [
        ['装饰工程', 'zs'],
        ['建筑工程', 'jz'],
        ['建材', 'jc'],
        ['装饰设计', 'design'],
      ],
      catalog: catalog([
        [
          '建材',
          [
            ['抛釉瓷砖', 45, 260, 50, 800],
            ['乳胶漆', 280, 680, 5, 80],
            ['生态板', 120, 320, 10, 200],
            ['水泥', 380, 560, 5, 60],
          ],
        ],
        [
          '五金配件',
          [
            ['五金配件套装', 15, 90, 50, 500],
            ['PPR水管', 25, 120, 20, 400],
            ['开关插座', 12, 60, 50, 600],
          ],
        ],
        [
          '工具设备',
          [
            ['电动工具套装', 600, 2400, 1, 10],
            ['脚手架租赁', 1500, 8000, 1, 3],
          ],
        ],
      ]),
    },
    10,
  ],
  [
    {
      name: '物流',
      companyWords: [
        ['物流', 'wl'],
        ['供应链管理', 'scm'],
        ['货运代理', 'cargo'],
        ['仓储服务', 'cc'],
      ],
      catalog: catalog([
        [
          '包装耗材',
          [
            ['五层瓦楞纸箱', 1.2, 6, 500, 5000],
            ['缠绕膜', 18, 45, 20, 300],
            ['封箱胶带', 80, 180, 5, 60],
            ['气泡膜', 35, 90, 10, 150],
          ],
        ],
        [
          '仓储设备',
          [
            ['塑料托盘', 60, 180, 20, 300],
            ['手动液压叉车', 1200, 3500, 1, 6],
            ['仓储货架', 450, 1800, 5, 60],
          ],
        ],
        [
          '车辆与服务',
          [
            ['车辆GPS定位服务', 300, 900, 5, 100],
            ['货车轮胎', 800, 2600, 4, 40],
          ],
        ],
      ]),
    },
    8,
  ],
  [
    {
      name: '金融服务',
      companyWords: [
        ['投资咨询', 'invest'],
        ['融资租赁', 'lease'],
        ['保险代理', 'bx'],
        ['财务咨询', 'cw'],
      ],
      catalog: catalog([
        [
          '办公用品',
          [
            ['A4复印纸', 120, 220, 5, 60],
            ['碎纸机', 380, 2200, 1, 6],
            ['文件柜', 600, 1800, 2, 20],
          ],
        ],
        [
          '办公设备',
          [
            ['点钞机', 800, 2800, 1, 10],
            ['笔记本电脑', 4500, 12800, 1, 15],
            ['高拍仪', 300, 1200, 2, 20],
          ],
        ],
        [
          '客户礼品',
          [
            ['客户答谢礼盒', 150, 800, 20, 300],
            ['定制保温杯', 45, 180, 50, 500],
            ['中秋月饼礼盒', 128, 498, 20, 400],
          ],
        ],
      ]),
    },
    5,
  ],
  [
    {
      name: '农业',
      companyWords: [
        ['农业科技', 'agri'],
        ['生态农业', 'eco'],
        ['农产品', 'ncp'],
        ['种业', 'seed'],
      ],
      catalog: catalog([
        [
          '农资',
          [
            ['复合肥', 120, 220, 10, 300],
            ['蔬菜种子', 30, 260, 5, 100],
            ['生物农药', 45, 180, 10, 200],
            ['有机肥', 600, 1200, 1, 30],
          ],
        ],
        [
          '农机配件',
          [
            ['旋耕机刀片', 15, 60, 20, 200],
            ['农用水泵', 600, 3800, 1, 10],
            ['植保无人机电池', 2800, 6800, 1, 6],
          ],
        ],
        [
          '灌溉设备',
          [
            ['滴灌带', 180, 480, 5, 80],
            ['喷灌设备套装', 1800, 12000, 1, 5],
          ],
        ],
      ]),
    },
    4,
  ],
];

/** What individuals buy, whatever industry they work in. */
const CONSUMER_CATALOG = catalog([
  [
    '家用电器',
    [
      ['空气净化器', 1299, 3999, 1, 1],
      ['电饭煲', 299, 899, 1, 1],
      ['扫地机器人', 1499, 4999, 1, 1],
      ['电动牙刷', 199, 699, 1, 2],
    ],
  ],
  [
    '数码产品',
    [
      ['蓝牙耳机', 199, 1299, 1, 2],
      ['智能手表', 899, 3299, 1, 1],
      ['平板电脑', 2499, 6999, 1, 1],
      ['充电宝', 99, 299, 1, 3],
    ],
  ],
  [
    '食品饮料',
    [
      ['坚果礼盒', 88, 298, 1, 6],
      ['茶叶', 168, 1280, 1, 4],
      ['进口牛奶', 69, 139, 1, 6],
      ['有机大米', 59, 199, 1, 4],
    ],
  ],
  [
    '日用百货',
    [
      ['抽纸整箱', 39, 89, 1, 4],
      ['洗衣液套装', 49, 129, 1, 4],
      ['床上四件套', 299, 1299, 1, 2],
    ],
  ],
  [
    '健康护理',
    [
      ['保健品', 198, 998, 1, 3],
      ['体检套餐', 399, 2599, 1, 2],
      ['按摩仪', 299, 1599, 1, 1],
    ],
  ],
  [
    '课程服务',
    [
      ['少儿编程课程', 2980, 12800, 1, 1],
      ['英语培训课程', 1980, 9800, 1, 1],
      ['健身私教课', 1800, 8800, 1, 1],
    ],
  ],
]);

const SOURCES: Weighted<string> = [
  ['老客户推荐', 22],
  ['社交媒体', 18],
  ['官网', 15],
  ['搜索引擎', 15],
  ['电话营销', 12],
  ['展会', 10],
  ['第三方名单', 8],
];

const OCCUPATIONS: Weighted<readonly [string, Weighted<DemoIncomeLevel>]> = [
  [
    [
      '企业职员',
      [
        ['low', 2],
        ['middle', 6],
        ['high', 1],
      ],
    ],
    16,
  ],
  [
    [
      '个体经营',
      [
        ['low', 2],
        ['middle', 5],
        ['high', 3],
      ],
    ],
    10,
  ],
  [
    [
      '销售',
      [
        ['low', 3],
        ['middle', 5],
        ['high', 2],
      ],
    ],
    8,
  ],
  [
    [
      '教师',
      [
        ['low', 1],
        ['middle', 7],
        ['high', 1],
      ],
    ],
    7,
  ],
  [
    [
      '工程师',
      [
        ['low', 1],
        ['middle', 5],
        ['high', 4],
      ],
    ],
    7,
  ],
  [
    [
      '程序员',
      [
        ['middle', 4],
        ['high', 5],
      ],
    ],
    5,
  ],
  [
    [
      '医生',
      [
        ['middle', 5],
        ['high', 5],
      ],
    ],
    3,
  ],
  [
    [
      '护士',
      [
        ['low', 2],
        ['middle', 7],
      ],
    ],
    3,
  ],
  [
    [
      '会计',
      [
        ['low', 2],
        ['middle', 7],
        ['high', 1],
      ],
    ],
    5,
  ],
  [
    [
      '设计师',
      [
        ['low', 2],
        ['middle', 6],
        ['high', 2],
      ],
    ],
    4,
  ],
  [
    [
      '公务员',
      [
        ['middle', 8],
        ['high', 1],
      ],
    ],
    4,
  ],
  [
    [
      '自由职业',
      [
        ['low', 4],
        ['middle', 4],
        ['high', 2],
      ],
    ],
    5,
  ],
  [
    [
      '企业主',
      [
        ['middle', 3],
        ['high', 7],
      ],
    ],
    4,
  ],
  [
    [
      '工人',
      [
        ['low', 7],
        ['middle', 3],
      ],
    ],
    6,
  ],
  [
    [
      '外卖骑手',
      [
        ['low', 6],
        ['middle', 3],
      ],
    ],
    2,
  ],
];

/** Occupations whose employer is typically a company (shown as the customer's `company`). */
const EMPLOYED_OCCUPATIONS = new Set(['企业职员', '销售', '工程师', '程序员', '会计', '设计师', '工人']);

const CONTACT_TITLES_PRIMARY: Weighted<string> = [
  ['采购经理', 30],
  ['总经理', 20],
  ['老板', 10],
  ['行政主管', 12],
  ['运营总监', 8],
  ['店长', 8],
  ['副总经理', 6],
];
const CONTACT_TITLES_OTHER: Weighted<string> = [
  ['财务', 25],
  ['技术负责人', 15],
  ['采购专员', 20],
  ['仓库主管', 10],
  ['出纳', 8],
  ['项目经理', 10],
  ['总经理助理', 8],
];

const NEEDS_ENTERPRISE = [
  '稳定的货源供应',
  '降低采购成本',
  '缩短交货周期',
  '定制化产品方案',
  '批量采购价格优惠',
  '需要开具增值税专用发票',
  '及时的售后技术支持',
  '门店数字化管理升级',
  '年度框架协议采购',
  '小批量多批次供货',
];
const NEEDS_INDIVIDUAL = [
  '性价比高的家电',
  '送礼用的礼盒',
  '孩子的课程辅导',
  '家人的健康体检',
  '家庭日用品囤货',
  '数码产品以旧换新',
  '改善睡眠质量',
  '健身减脂',
  '新房装修添置',
  '给父母买保健品',
];
const PREFERENCES = [
  '偏好大品牌',
  '注重性价比',
  '喜欢在促销活动时下单',
  '习惯线上下单',
  '习惯月底集中采购',
  '需要样品试用后再下单',
  '喜欢套餐组合',
  '倾向长期合同锁价',
  '看重包装和送礼体面',
  '只买常用的几款产品',
];
const INTERESTS =
  '旅游 美食 健身 摄影 钓鱼 读书 高尔夫 茶道 育儿 理财 户外运动 音乐 书法 园艺 电影 跑步'.split(' ');
const INTERESTS_ENTERPRISE = ['行业展会', '新品试用', '数字化转型', '供应链优化', '联合营销', '节能降本'];
const EXPECTATIONS = [
  '响应及时',
  '送货上门',
  '专人对接',
  '发票开具及时',
  '售后有保障',
  '24小时内答复',
  '定期回访',
  '价格透明',
  '包装完好',
  '准时交货',
];
const NOTES = [
  '春节前需要提前备货',
  '对价格比较敏感，议价空间小',
  '决策人是老板本人',
  '曾因延迟发货投诉过一次，已妥善处理',
  '推荐过两位新客户',
  '年底有预算集中采购',
  '希望每季度对账一次',
  '上次回访反馈满意',
  '需要开具增值税专用发票',
  '节假日不方便联系',
  '对新品很感兴趣，可优先推荐',
  '付款及时，信用良好',
];
const COMMUNICATION_TIMES: Weighted<string> = [
  ['工作日上午', 30],
  ['工作日下午', 30],
  ['工作日晚上', 12],
  ['午休时间', 8],
  ['周末', 10],
  ['随时', 10],
];
const PERSONAL_EMAIL_DOMAINS: Weighted<string> = [
  ['qq.com', 35],
  ['163.com', 25],
  ['126.com', 12],
  ['sina.com', 5],
  ['foxmail.com', 6],
  ['139.com', 5],
  ['hotmail.com', 4],
  ['outlook.com', 4],
  ['gmail.com', 3],
  ['yeah.net', 2],
];
const MOBILE_PREFIXES: Weighted<string> = [
  ...'130 131 132 133 134 135 136 137 138 139'.split(' ').map((p) => [p, 4] as const),
  ...'150 151 152 153 155 156 157 158 159'.split(' ').map((p) => [p, 3] as const),
  ...'180 181 182 183 184 185 186 187 188 189'.split(' ').map((p) => [p, 3] as const),
  ...'173 175 176 177 178'.split(' ').map((p) => [p, 1.5] as const),
  ...'191 193 195 198 199'.split(' ').map((p) => [p, 1] as const),
];

// ---------------------------------------------------------------------------------------------------------
// Generation

type Tier = 'heavy' | 'regular' | 'occasional' | 'oneOff';

interface Plan {
  customer: DemoCustomer;
  /** Creation day: cooperation start, or first contact for leads. */
  createdDay: number;
  order: number;
  tier: Tier | null;
  /** Purchases happen in [activeFrom, activeTo]. */
  activeFrom: number;
  activeTo: number;
  catalog: Category[];
  channel: string;
  /** Typical order value in cents; quantities adapt to the product's price. */
  budget: number;
  contacts: Omit<DemoContact, 'customerCode'>[];
}

interface Person {
  name: string;
  gender: DemoGender;
  surnamePinyin: string;
  givenPinyin: string;
}

/** Typical order value by company size (enterprises) or income (individuals). */
const ORDER_BUDGET_YUAN: Record<DemoCompanySize, number> = { small: 2500, medium: 5000, large: 10000 };
const CONSUMER_BUDGET_YUAN: Record<DemoIncomeLevel, number> = { low: 300, middle: 600, high: 1200 };
const BUDGET_SIGMA = 0.35;

const TIER_RATE: Record<Tier, [number, number]> = {
  heavy: [32, 72],
  regular: [14, 34],
  occasional: [3, 9],
  oneOff: [0, 0],
};

class DemoGenerator {
  private readonly rng: Rng;
  private readonly asOf: number;
  private readonly asOfYear: number;
  private readonly calendar: Calendar;
  private readonly phones = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly wechats = new Set<string>();
  private readonly qqs = new Set<string>();
  private readonly companyNames = new Set<string>();

  constructor(seed: number, asOf: number) {
    this.rng = createRng(seed);
    this.asOf = asOf;
    this.asOfYear = civilFromDays(asOf)[0];
    this.calendar = new Calendar(asOf - WINDOW_DAYS + 1, asOf);
  }

  run(count: number): DemoData {
    const plans: Plan[] = [];
    for (let i = 0; i < count; i++) plans.push(this.plan(i));
    plans.sort((a, b) => a.createdDay - b.createdDay || a.order - b.order);

    const sequences = new Map<number, number>();
    for (const plan of plans) {
      const year = civilFromDays(plan.createdDay)[0];
      const seq = (sequences.get(year) ?? 0) + 1;
      sequences.set(year, seq);
      plan.customer = { code: `KH${year}${String(seq).padStart(5, '0')}`, ...plan.customer };
    }

    const customers = plans.map((p) => p.customer);
    const contacts: DemoContact[] = [];
    for (const plan of plans) {
      for (const contact of plan.contacts)
        contacts.push({ customerCode: plan.customer.code ?? '', ...contact });
    }

    const drafts: { day: number; tx: Omit<DemoTransaction, 'externalRef'> }[] = [];
    for (const plan of plans) this.transactions(plan, drafts);
    // Stable sort: same-day transactions keep customer-code order.
    drafts.sort((a, b) => a.day - b.day);
    const transactions = drafts.map(({ tx }, i) => ({
      ...tx,
      externalRef: `DEMO-${String(i + 1).padStart(6, '0')}`,
    }));
    return { customers, contacts, transactions };
  }

  // --- one customer ------------------------------------------------------------------------------------

  private plan(order: number): Plan {
    const rng = this.rng;
    const type: DemoCustomerType = chance(rng, 0.4) ? 'enterprise' : 'individual';
    const enterprise = type === 'enterprise';
    const stage = weighted<DemoStage>(rng, [
      ['potential', 23],
      ['intent', 15],
      ['closed', 52],
      ['churned', 10],
    ]);
    const buyer = stage === 'closed' || stage === 'churned';
    const tier: Tier | null = buyer
      ? weighted<Tier>(
          rng,
          enterprise
            ? [
                ['heavy', 18],
                ['regular', 40],
                ['occasional', 30],
                ['oneOff', 12],
              ]
            : [
                ['heavy', 6],
                ['regular', 34],
                ['occasional', 42],
                ['oneOff', 18],
              ],
        )
      : null;

    // Dates.
    const windowStart = this.calendar.start;
    let firstContact: number;
    let cooperation: number | undefined;
    let activeFrom = 0;
    let activeTo = -1;
    if (buyer && tier) {
      const veteranShare = { heavy: 0.65, regular: 0.45, occasional: 0.3, oneOff: 0.2 }[tier];
      const latest = stage === 'churned' ? this.asOf - CHURN_QUIET_DAYS - 45 : this.asOf - 5;
      cooperation = chance(rng, veteranShare)
        ? windowStart - int(rng, 1, 365 * 4)
        : windowStart + Math.floor((latest - windowStart) * rng() ** 1.25);
      firstContact =
        cooperation - (chance(rng, 0.25) ? 0 : chance(rng, 0.6) ? int(rng, 1, 30) : int(rng, 31, 240));
      activeFrom = Math.max(cooperation, windowStart);
      activeTo = this.asOf;
      if (stage === 'churned') {
        const quietSince = this.asOf - CHURN_QUIET_DAYS - int(rng, 0, 330);
        activeTo = Math.max(quietSince, activeFrom + 20);
        activeTo = Math.min(activeTo, this.asOf - CHURN_QUIET_DAYS);
        if (activeTo < activeFrom) activeFrom = activeTo;
      }
    } else {
      firstContact = chance(rng, 0.12)
        ? windowStart - int(rng, 1, 365 * 2)
        : this.asOf - Math.floor((WINDOW_DAYS - 1) * rng() ** (stage === 'potential' ? 1.6 : 1.2));
    }
    const createdDay = cooperation ?? firstContact;

    // Where and what.
    const region = weighted(rng, REGIONS);
    const industry = weighted(rng, INDUSTRIES);
    const person = this.person();
    const companySize: DemoCompanySize | undefined = enterprise
      ? weighted<DemoCompanySize>(rng, [
          ['small', 60],
          ['medium', 30],
          ['large', 10],
        ])
      : undefined;
    const company = enterprise
      ? this.companyName(region, industry, companySize === 'large', true)
      : undefined;

    let name: string;
    let birthYear: number | undefined;
    let ageBand: DemoAgeBand | undefined;
    let gender: DemoGender | undefined;
    let occupation: string | undefined;
    let incomeLevel: DemoIncomeLevel | undefined;
    let employer: string | undefined;
    if (enterprise) {
      name = company?.name ?? '';
    } else {
      name = person.name;
      gender = person.gender;
      const age = weighted<readonly [number, number]>(rng, [
        [[18, 24], 10],
        [[25, 34], 31],
        [[35, 44], 28],
        [[45, 54], 19],
        [[55, 72], 12],
      ]);
      birthYear = this.asOfYear - int(rng, age[0], age[1]);
      ageBand = ageBandOf(this.asOfYear - birthYear);
      if (ageBand === 'under_25' && chance(rng, 0.35)) {
        occupation = '学生';
        incomeLevel = 'low';
      } else if (ageBand === '55_plus' && chance(rng, 0.45)) {
        occupation = '退休';
        incomeLevel = weighted<DemoIncomeLevel>(rng, [
          ['low', 4],
          ['middle', 5],
          ['high', 1],
        ]);
      } else {
        const [job, incomes] = weighted(rng, OCCUPATIONS);
        occupation = job;
        incomeLevel = weighted(rng, incomes);
        if (EMPLOYED_OCCUPATIONS.has(job) && chance(rng, 0.6)) {
          employer = this.companyName(weighted(rng, REGIONS), weighted(rng, INDUSTRIES), false, false).name;
        }
      }
    }

    // Reachability.
    const contacts: Omit<DemoContact, 'customerCode'>[] = [];
    let phone: string | undefined;
    let email: string | undefined;
    let wechat: string | undefined;
    let qq: string | undefined;
    if (enterprise && company) {
      const count = weighted(rng, [
        [1, 35],
        [2, 35],
        [3, 20],
        [4, 10],
      ]);
      for (let k = 0; k < count; k++) {
        const p = this.person();
        const digits = this.mobile();
        contacts.push({
          name: p.name,
          title: weighted(rng, k === 0 ? CONTACT_TITLES_PRIMARY : CONTACT_TITLES_OTHER),
          phone: this.formatPhone(digits),
          ...(chance(rng, 0.65) ? { email: this.workEmail(p, company.domain) } : {}),
          ...(chance(rng, 0.45) ? { wechat: this.wechat(p, undefined) } : {}),
          isPrimary: k === 0,
        });
        if (k === 0) phone = this.formatPhone(digits);
      }
      if (chance(rng, 0.7)) {
        email = this.unique(
          this.emails,
          `${pick(rng, ['info', 'sales', 'service', 'contact', 'hr'])}@${company.domain}`,
        );
      }
      if (chance(rng, 0.15)) wechat = this.wechat(person, undefined);
      if (chance(rng, 0.08)) qq = this.qq();
    } else {
      if (chance(rng, 0.96)) phone = this.formatPhone(this.mobile());
      if (chance(rng, 0.25)) qq = this.qq();
      if (chance(rng, 0.5)) email = this.personalEmail(person, birthYear, qq);
      if (chance(rng, 0.45)) wechat = this.wechat(person, birthYear);
      if (chance(rng, 0.05)) {
        const relative = this.person();
        contacts.push({
          name: relative.name,
          title: pick(rng, ['家属', '助理', '配偶']),
          phone: this.formatPhone(this.mobile()),
          isPrimary: false,
        });
      }
    }

    // Commercial profile.
    const channel = enterprise
      ? weighted(rng, [
          ['电话订购', 35],
          ['经销商', 30],
          ['线上商城', 20],
          ['门店', 15],
        ])
      : weighted(rng, [
          ['线上商城', 55],
          ['门店', 35],
          ['电话订购', 10],
        ]);
    const vip =
      tier === 'heavy'
        ? chance(rng, 0.55)
        : tier === 'regular'
          ? chance(rng, 0.15)
          : chance(rng, tier === null ? 0.01 : 0.03);
    const paymentMethod = enterprise
      ? weighted(rng, [
          ['银行转账', 50],
          ['月结', 35],
          ['支付宝', 10],
          ['微信支付', 5],
        ])
      : weighted(rng, [
          ['微信支付', 45],
          ['支付宝', 40],
          ['现金', 8],
          ['银行转账', 7],
        ]);
    const creditStatus = weighted<DemoCreditStatus>(
      rng,
      paymentMethod === '月结'
        ? [
            ['good', 70],
            ['watch', 18],
            ['overdue', 12],
          ]
        : [
            ['good', 88],
            ['watch', 9],
            ['overdue', 3],
          ],
    );
    const status = weighted<DemoStatus>(
      rng,
      stage === 'churned'
        ? [
            ['active', 15],
            ['paused', 35],
            ['terminated', 50],
          ]
        : stage === 'closed'
          ? [
              ['active', 85],
              ['paused', 10],
              ['terminated', 5],
            ]
          : [
              ['active', 90],
              ['paused', 10],
            ],
    );
    const communicationChannel = weighted<DemoCommunicationChannel>(
      rng,
      enterprise
        ? [
            ['phone', 35],
            ['email', 25],
            ['wechat', 25],
            ['visit', 15],
          ]
        : [
            ['wechat', 50],
            ['phone', 30],
            ['sms', 12],
            ['email', 8],
          ],
    );

    const budgetYuan = enterprise
      ? ORDER_BUDGET_YUAN[companySize ?? 'small']
      : CONSUMER_BUDGET_YUAN[incomeLevel ?? 'middle'];
    const budget = Math.round(budgetYuan * 100 * Math.exp(BUDGET_SIGMA * gauss(rng)));
    const catalogSource = enterprise ? industry.catalog : CONSUMER_CATALOG;
    const customerCatalog = sample(rng, catalogSource, int(rng, enterprise ? 2 : 2, enterprise ? 3 : 4));

    const tags = this.tags({
      vip,
      tier,
      stage,
      enterprise,
      veteran: (cooperation ?? this.asOf) < windowStart,
      channel,
    });

    const customer: DemoCustomer = compact({
      name,
      type,
      company: employer,
      stage,
      status,
      vip,
      industry: enterprise || chance(rng, 0.7) ? industry.name : undefined,
      source: weighted(rng, SOURCES),
      companySize,
      province: region.province,
      city: region.city,
      address: chance(rng, enterprise ? 0.95 : 0.75)
        ? this.address(region, enterprise, industry.name)
        : undefined,
      phone,
      email,
      wechat,
      qq,
      birthYear,
      ageBand,
      gender,
      occupation,
      incomeLevel,
      firstContactOn: formatDay(firstContact),
      cooperationStartOn: cooperation === undefined ? undefined : formatDay(cooperation),
      paymentMethod,
      creditStatus,
      needs: sample(rng, enterprise ? NEEDS_ENTERPRISE : NEEDS_INDIVIDUAL, int(rng, 1, 2)).join('，'),
      purchasePreferences: chance(rng, 0.8) ? sample(rng, PREFERENCES, int(rng, 1, 2)).join('，') : undefined,
      communicationChannel,
      communicationTime: weighted(rng, COMMUNICATION_TIMES),
      interests: chance(rng, enterprise ? 0.5 : 0.8)
        ? sample(rng, enterprise ? INTERESTS_ENTERPRISE : INTERESTS, int(rng, 1, 3)).join('、')
        : undefined,
      serviceExpectations: chance(rng, 0.75)
        ? sample(rng, EXPECTATIONS, int(rng, 1, 2)).join('，')
        : undefined,
      notes: chance(rng, 0.2) ? pick(rng, NOTES) : undefined,
      tags,
      custom: {},
    });

    return {
      customer,
      createdDay,
      order,
      tier,
      activeFrom,
      activeTo,
      catalog: customerCatalog,
      channel,
      budget,
      contacts,
    };
  }

  private tags(info: {
    vip: boolean;
    tier: Tier | null;
    stage: DemoStage;
    enterprise: boolean;
    veteran: boolean;
    channel: string;
  }): string[] {
    const rng = this.rng;
    const candidates: [string, number][] = [
      ['重点客户', info.vip ? 6 : 0.3],
      ['大客户', info.tier === 'heavy' && info.enterprise ? 5 : 0.1],
      ['老客户', info.veteran ? 4 : 0.2],
      [
        '需回访',
        info.stage === 'intent' || info.stage === 'potential' ? 3 : info.stage === 'churned' ? 2 : 0.5,
      ],
      ['价格敏感', 1],
      ['潜力客户', info.stage === 'intent' ? 2 : 0.2],
      [info.channel === '线上商城' ? '线上' : '线下', 2],
    ];
    const count = weighted(rng, [
      [0, 25],
      [1, 35],
      [2, 28],
      [3, 12],
    ]);
    const tags: string[] = [];
    for (let k = 0; k < count; k++) {
      const remaining = candidates.filter(([tag]) => !tags.includes(tag));
      if (remaining.length === 0) break;
      tags.push(weighted(rng, remaining));
    }
    return tags;
  }

  // --- transactions ------------------------------------------------------------------------------------

  private transactions(plan: Plan, out: { day: number; tx: Omit<DemoTransaction, 'externalRef'> }[]): void {
    if (!plan.tier) return;
    const rng = this.rng;
    const enterprise = plan.customer.type === 'enterprise';
    const [rateMin, rateMax] = TIER_RATE[plan.tier];
    const mass = this.calendar.mass(plan.activeFrom, plan.activeTo);
    const count =
      plan.tier === 'oneOff'
        ? 1
        : Math.max(1, Math.round(((rateMin + rng() * (rateMax - rateMin)) * mass) / 365));
    const products = plan.catalog.flatMap((category) =>
      category.products.map((product) => [[category, product] as const, product.weight] as const),
    );
    const code = plan.customer.code ?? '';
    const days: number[] = [];
    for (let k = 0; k < count; k++) days.push(this.calendar.sample(rng, plan.activeFrom, plan.activeTo));
    days.sort((a, b) => a - b);
    for (const day of days) {
      const [category, product] = weighted(rng, products);
      const unitCents = priceCents(rng, product, enterprise);
      const wanted = Math.round((plan.budget * Math.exp(0.3 * gauss(rng))) / unitCents);
      const most = enterprise ? product.qtyMax * 3 : product.qtyMax;
      const quantity = product.qtyMax === 1 ? 1 : Math.min(most, Math.max(product.qtyMin, wanted, 1));
      let amount = unitCents * quantity;
      const [, month, date] = civilFromDays(day);
      const promo = (month === 11 && date <= 11) || (month === 6 && date <= 18);
      if (chance(rng, promo ? 0.6 : 0.15))
        amount = Math.round((amount * int(rng, promo ? 80 : 90, 98)) / 100);
      const cost = chance(rng, 0.85) ? Math.round((amount * int(rng, 55, 80)) / 100) : undefined;
      const channel = chance(rng, 0.8)
        ? plan.channel
        : pick(
            rng,
            enterprise ? ['门店', '线上商城', '电话订购', '经销商'] : ['门店', '线上商城', '电话订购'],
          );
      out.push({
        day,
        tx: compact({
          customerCode: code,
          occurredOn: formatDay(day),
          product: product.name,
          category: category.name,
          quantity: String(quantity),
          amount: money(amount),
          cost: cost === undefined ? undefined : money(cost),
          channel,
        }),
      });
    }
  }

  // --- people, companies, contact details --------------------------------------------------------------

  private person(): Person {
    const rng = this.rng;
    const [surname, surnamePinyin] = weighted(rng, SURNAMES);
    const gender: DemoGender = chance(rng, 0.5) ? 'male' : 'female';
    const pool = gender === 'male' ? MALE_GIVEN : FEMALE_GIVEN;
    const first = pick(rng, pool);
    const parts = [first];
    if (chance(rng, 0.65)) {
      let second = pick(rng, pool);
      if (second[0] === first[0] && chance(rng, 0.8)) second = pick(rng, pool);
      parts.push(second);
    }
    return {
      name: surname + parts.map(([c]) => c).join(''),
      gender,
      surnamePinyin,
      givenPinyin: parts.map(([, p]) => p).join(''),
    };
  }

  private companyName(
    region: CityInfo,
    industry: IndustryInfo,
    large: boolean,
    unique: boolean,
  ): { name: string; domain: string } {
    const rng = this.rng;
    for (let attempt = 0; ; attempt++) {
      const a = pick(rng, TRADE_NAME_CHARS);
      let b = pick(rng, TRADE_NAME_CHARS);
      while (b[0] === a[0]) b = pick(rng, TRADE_NAME_CHARS);
      const [word, tag] = pick(rng, industry.companyWords);
      const place = region.city.endsWith('市') ? region.city.slice(0, -1) : region.city;
      const suffix = large && chance(rng, 0.4) ? '股份有限公司' : '有限公司';
      const name = `${place}${a[0]}${b[0]}${word}${suffix}`;
      if (unique && this.companyNames.has(name) && attempt < 50) continue;
      if (unique) this.companyNames.add(name);
      const trade = `${a[1]}${b[1]}`;
      const domain = weighted(rng, [
        [`${trade}.com`, 3],
        [`${trade}${tag}.com`, 3],
        [`${trade}-${tag}.com`, 1],
        [`${trade}.com.cn`, 2],
        [`${region.pinyin}${trade}.cn`, 1],
      ]);
      return { name, domain };
    }
  }

  private address(region: CityInfo, enterprise: boolean, industry: string): string {
    const rng = this.rng;
    const district = pick(rng, region.districts);
    const street = `${pick(rng, ROADS)}${int(rng, 1, 999)}号`;
    if (!enterprise) {
      return `${district}${street}${pick(rng, ESTATES)}${int(rng, 1, 30)}栋${int(rng, 1, 4)}单元${int(rng, 1, 33)}0${int(rng, 1, 4)}室`;
    }
    if ((industry === '制造业' || industry === '物流' || industry === '农业') && chance(rng, 0.7)) {
      return `${district}${street}${pick(rng, PARKS)}${int(rng, 1, 12)}号厂房`;
    }
    return `${district}${street}${pick(rng, OFFICE_BUILDINGS)}${int(rng, 2, 32)}${String(int(rng, 1, 20)).padStart(2, '0')}室`;
  }

  /** A unique valid mobile number, 11 plain digits. */
  private mobile(): string {
    const rng = this.rng;
    for (;;) {
      const digits = `${weighted(rng, MOBILE_PREFIXES)}${String(int(rng, 0, 99_999_999)).padStart(8, '0')}`;
      if (!this.phones.has(digits)) {
        this.phones.add(digits);
        return digits;
      }
    }
  }

  /** Mostly plain, sometimes the way people actually type it. */
  private formatPhone(digits: string): string {
    const style = weighted(this.rng, [
      ['plain', 75],
      ['spaces', 10],
      ['dashes', 7],
      ['intl', 8],
    ]);
    const a = digits.slice(0, 3);
    const b = digits.slice(3, 7);
    const c = digits.slice(7);
    if (style === 'spaces') return `${a} ${b} ${c}`;
    if (style === 'dashes') return `${a}-${b}-${c}`;
    if (style === 'intl') return `+86 ${digits}`;
    return digits;
  }

  private unique(set: Set<string>, value: string): string {
    let candidate = value;
    for (let n = 2; set.has(candidate); n++) {
      const at = value.indexOf('@');
      candidate = at < 0 ? `${value}${n}` : `${value.slice(0, at)}${n}${value.slice(at)}`;
    }
    set.add(candidate);
    return candidate;
  }

  private personalEmail(p: Person, birthYear: number | undefined, qq: string | undefined): string {
    const rng = this.rng;
    const domain = weighted(rng, PERSONAL_EMAIL_DOMAINS);
    if (qq && (domain === 'qq.com' || domain === 'foxmail.com') && chance(rng, 0.7)) {
      return this.unique(this.emails, `${qq}@${domain}`);
    }
    const initials = p.surnamePinyin.charAt(0) + p.givenPinyin.charAt(0);
    const digits =
      birthYear !== undefined && chance(rng, 0.5) ? String(birthYear) : String(int(rng, 1, 9999));
    const local = weighted(rng, [
      [`${p.surnamePinyin}${p.givenPinyin}`, 3],
      [`${p.surnamePinyin}${p.givenPinyin}${digits}`, 3],
      [`${initials}${digits}`, 2],
      [`${p.givenPinyin}.${p.surnamePinyin}`, 1],
      [`${p.surnamePinyin}_${p.givenPinyin}${int(rng, 1, 99)}`, 1],
    ]);
    return this.unique(this.emails, `${local}@${domain}`);
  }

  private workEmail(p: Person, domain: string): string {
    const local = weighted(this.rng, [
      [`${p.surnamePinyin}${p.givenPinyin}`, 3],
      [`${p.givenPinyin}.${p.surnamePinyin}`, 1],
      [`${p.surnamePinyin.charAt(0)}${p.givenPinyin}`, 1],
    ]);
    return this.unique(this.emails, `${local}@${domain}`);
  }

  private wechat(p: Person, birthYear: number | undefined): string {
    const rng = this.rng;
    const alnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let id: string;
    const style = int(rng, 0, 3);
    if (style === 0) {
      id = 'wxid_';
      for (let i = 0; i < 14; i++) id += alnum.charAt(int(rng, 0, alnum.length - 1));
    } else if (style === 1) {
      id = `${p.surnamePinyin}${p.givenPinyin}${birthYear ?? int(rng, 10, 999)}`;
    } else if (style === 2) {
      id = `${p.surnamePinyin}_${p.givenPinyin}`;
    } else {
      id = `${p.surnamePinyin.charAt(0)}${p.givenPinyin.charAt(0)}${int(rng, 100000, 99999999)}`;
    }
    if (id.length < 6) id += int(rng, 10, 99);
    return this.unique(this.wechats, id.slice(0, 20));
  }

  private qq(): string {
    const rng = this.rng;
    for (;;) {
      const length = weighted(rng, [
        [6, 1],
        [7, 2],
        [8, 4],
        [9, 6],
        [10, 5],
      ]);
      const qq = String(int(rng, 10 ** (length - 1), 10 ** length - 1));
      if (!this.qqs.has(qq)) {
        this.qqs.add(qq);
        return qq;
      }
    }
  }
}

function ageBandOf(age: number): DemoAgeBand {
  if (age < 25) return 'under_25';
  if (age < 35) return '25_34';
  if (age < 45) return '35_44';
  if (age < 55) return '45_54';
  return '55_plus';
}

/** A plausible shelf price in integer cents. */
function priceCents(rng: Rng, product: Product, enterprise: boolean): number {
  const yuan = product.min + rng() * (product.max - product.min);
  if (yuan < 10) return Math.max(1, Math.round(yuan * 10)) * 10; // 1.20, 3.50 …
  if (!enterprise) {
    if (yuan < 50) return Math.round(yuan) * 100 + pick(rng, [0, 50, 90]);
    return (Math.floor(yuan / 10) * 10 + pick(rng, [9, 9, 9, 8])) * 100; // 299.00, 1298.00
  }
  if (yuan < 1000) return Math.round(yuan) * 100;
  return Math.round(yuan / 10) * 1000;
}

/** Integer cents as a decimal string with two decimals. */
function money(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents - whole * 100).padStart(2, '0')}`;
}

/** Drops undefined properties so the output has no `undefined` holes. */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

/**
 * Generates a deterministic demo data set: customers (≈60% individuals, ≈40% enterprises), their contacts,
 * and two years of seasonal transactions up to `asOf`.
 */
export function generateDemoData(options: GenerateDemoDataOptions): DemoData {
  const seed = options.seed ?? DEFAULT_SEED;
  const count = options.customers ?? DEFAULT_CUSTOMERS;
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
  if (!Number.isInteger(count) || count < 0) throw new RangeError('customers must be a non-negative integer');
  const asOf = parseDay(options.asOf);
  return new DemoGenerator(seed, asOf).run(count);
}
