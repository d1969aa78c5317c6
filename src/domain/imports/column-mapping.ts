/**
 * Maps a spreadsheet's header to fields: by API name, by the Chinese and English names people
 * write in their own sheets (客户名称 / 手机号码 / 所属行业 …), by custom-field labels, or by a saved
 * mapping. Headers are compared loosely: full-width → half-width, case, spaces, `*` required
 * markers and bracketed hints (`手机（必填）`) do not matter.
 */

export type ImportKind = 'customers' | 'transactions' | 'communications';

/** Synonyms per field; the first Chinese one is the template's header. */
export const CUSTOMER_COLUMNS: Record<string, readonly string[]> = {
  code: ['客户编号', '客户编码', '客户代码', '编号', '客户id', '客户ID', 'customer code', 'customer no'],
  name: [
    '客户名称',
    '客户姓名',
    '公司名称',
    '客户名',
    '姓名',
    '名称',
    '客户',
    'customer name',
    'customer',
    'full name',
  ],
  type: ['客户类型', '类型', '客户类别', 'customer type'],
  company: ['所属公司', '工作单位', '单位', '公司', 'company'],
  stage: ['客户阶段', '阶段', '销售阶段', '跟进阶段'],
  status: ['客户状态', '状态', '合作状态'],
  vip: ['是否VIP', 'VIP客户', '重要客户'],
  industry: ['所属行业', '行业', '行业类别'],
  source: ['客户来源', '来源', '获客渠道', '来源渠道', 'lead source'],
  companySize: ['公司规模', '企业规模', '规模', 'company size', 'size'],
  province: ['省份', '所在省份', '省', 'state'],
  city: ['城市', '所在城市', '市'],
  address: ['地址', '详细地址', '联系地址', '通讯地址'],
  phone: [
    '手机',
    '手机号',
    '手机号码',
    '联系电话',
    '电话',
    '电话号码',
    '联系方式',
    '移动电话',
    'mobile',
    'tel',
    'telephone',
    'phone number',
    'mobile phone',
  ],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', '邮箱地址', 'e-mail', 'mail', 'email address'],
  wechat: ['微信', '微信号', 'weixin'],
  qq: ['QQ号', 'QQ号码'],
  birthYear: ['出生年份', '出生年', 'birth year'],
  ageBand: ['年龄段', 'age band', 'age group'],
  gender: ['性别', 'sex'],
  occupation: ['职业', 'job'],
  incomeLevel: ['收入水平', '收入', 'income', 'income level'],
  firstContactOn: [
    '首次接触日期',
    '首次接触',
    '首次联系日期',
    '首次联系时间',
    'first contact',
    'first contact date',
  ],
  cooperationStartOn: [
    '合作开始日期',
    '开始合作日期',
    '合作日期',
    '签约日期',
    'cooperation start',
    'cooperation start date',
  ],
  paymentMethod: ['付款方式', '支付方式', 'payment method'],
  creditStatus: ['信用状况', '信用', 'credit status', 'credit'],
  needs: ['需求', '客户需求'],
  purchasePreferences: ['购买偏好', '采购偏好', 'purchase preferences'],
  communicationChannel: [
    '沟通渠道',
    '联系渠道',
    '首选沟通方式',
    'communication channel',
    'preferred channel',
  ],
  communicationTime: ['沟通时间', '方便联系时间', '联系时间', 'communication time'],
  interests: ['兴趣', '兴趣爱好'],
  serviceExpectations: ['服务期望', 'service expectations'],
  notes: ['备注', '备注信息', '说明', 'note', 'remark', 'remarks', 'comments'],
  tags: ['标签', 'tag'],
  owner: ['负责人', '归属人', '所属销售', '客户经理', '跟进人', '销售', 'sales rep', 'account manager'],
};

export const TRANSACTION_COLUMNS: Record<string, readonly string[]> = {
  customer_code: ['客户编号', '客户编码', '客户代码', 'customer code', 'customerCode', 'code'],
  date: ['交易日期', '购买日期', '下单日期', '订单日期', '日期', 'occurredOn', 'order date'],
  amount: ['交易金额', '消费金额', '订单金额', '实付金额', '金额', 'total'],
  quantity: ['数量', '件数', 'qty'],
  product: ['产品', '商品', '产品名称', '商品名称'],
  category: ['产品类别', '品类', '类别', '分类'],
  cost: ['成本'],
  channel: ['销售渠道', '渠道'],
  external_ref: ['订单号', '单号', '外部单号', '订单编号', 'order no', 'externalRef'],
  notes: ['备注', 'note', 'remark'],
};

export const COMMUNICATION_COLUMNS: Record<string, readonly string[]> = {
  customer_code: ['客户编号', '客户编码', '客户代码', 'customer code', 'customerCode', 'code'],
  time: ['沟通时间', '时间', '联系时间', '跟进时间', '沟通日期', '日期', 'occurredAt', 'date'],
  channel: ['沟通方式', '方式', '沟通渠道', '渠道', 'method'],
  content: ['沟通内容', '内容', '沟通记录', '记录', '详情'],
  next_step: ['下一步', '下一步计划', '后续安排', 'nextStep', 'next step'],
  direction: ['方向', '沟通方向'],
};

const COLUMNS_OF: Record<ImportKind, Record<string, readonly string[]>> = {
  customers: CUSTOMER_COLUMNS,
  transactions: TRANSACTION_COLUMNS,
  communications: COMMUNICATION_COLUMNS,
};

/** Columns an export writes that an import reads past: they are computed, not entered. */
export const IGNORED_CUSTOMER_COLUMNS = [
  'id',
  'totalSpent',
  'orderCount',
  'averageOrderValue',
  'firstPurchaseOn',
  'lastPurchaseOn',
  'createdAt',
  'updatedAt',
  'version',
  '累计消费',
  '订单数',
  '客单价',
  '首次购买',
  '最近购买',
  '创建时间',
  '更新时间',
];

/** Loose comparison form of a header. */
export function headerKey(text: string): string {
  return toHalfWidth(text)
    .replace(/[(（][^)）]*[)）]/g, '')
    .replace(/[*:：\s_]/g, '')
    .toLowerCase();
}

/** Full-width ASCII (Ａ１，) and the ideographic space → their half-width forms. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (char) =>
    char === '\u3000' ? ' ' : String.fromCharCode(char.charCodeAt(0) - 0xfee0),
  );
}

export interface CustomFieldLabel {
  key: string;
  labelZh: string;
  labelEn: string;
}

/** `custom.KEY` for custom fields; standard fields by their API name. */
export type FieldTarget = string;

export interface ColumnMapping {
  /** The field each column feeds, or null for a column that is ignored. */
  fields: (FieldTarget | null)[];
  /** Columns nobody recognises: reported, not imported. */
  unknown: { index: number; header: string }[];
  /** Two columns for one field: the second is reported and ignored. */
  duplicates: { index: number; header: string; field: FieldTarget }[];
}

/** A saved mapping: header text as it appears in the file → field (or null to ignore). */
export type SavedMapping = Record<string, FieldTarget | null>;

function dictionary(kind: ImportKind, custom: CustomFieldLabel[]): Map<string, FieldTarget | null> {
  const entries = COLUMNS_OF[kind];
  const map = new Map<string, FieldTarget | null>();
  const add = (name: string, field: FieldTarget | null) => {
    const key = headerKey(name);
    if (key !== '' && !map.has(key)) map.set(key, field);
  };
  // API names first: they win over any synonym spelled the same.
  for (const field of Object.keys(entries)) add(field, field);
  if (kind === 'customers') {
    add('ownerId', 'owner');
    for (const def of custom) {
      add(`custom.${def.key}`, `custom.${def.key}`);
      add(`cf.${def.key}`, `custom.${def.key}`);
    }
    for (const name of IGNORED_CUSTOMER_COLUMNS) add(name, null);
  }
  for (const [field, synonyms] of Object.entries(entries)) for (const name of synonyms) add(name, field);
  if (kind === 'customers') {
    for (const def of custom) {
      add(def.labelZh, `custom.${def.key}`);
      add(def.labelEn, `custom.${def.key}`);
      add(def.key, `custom.${def.key}`);
    }
  }
  return map;
}

/** The recognised field of one header cell: a field, null for a known ignored column, undefined if unknown. */
export function recogniseHeader(
  kind: ImportKind,
  custom: CustomFieldLabel[],
): (header: string) => FieldTarget | null | undefined {
  const map = dictionary(kind, custom);
  return (header) => {
    const key = headerKey(header);
    return key === '' ? null : map.get(key);
  };
}

/** How many cells of a candidate header row are recognised — to find the header below title rows. */
export function headerScorer(kind: ImportKind, custom: CustomFieldLabel[]): (cells: string[]) => number {
  const recognise = recogniseHeader(kind, custom);
  return (cells) => cells.filter((cell) => cell.trim() !== '' && recognise(cell) !== undefined).length;
}

export function mapColumns(
  kind: ImportKind,
  header: string[],
  custom: CustomFieldLabel[],
  saved: SavedMapping = {},
): ColumnMapping {
  const recognise = recogniseHeader(kind, custom);
  const savedByKey = new Map(Object.entries(saved).map(([name, field]) => [headerKey(name), field]));
  const fields: (FieldTarget | null)[] = [];
  const unknown: ColumnMapping['unknown'] = [];
  const duplicates: ColumnMapping['duplicates'] = [];
  const taken = new Set<FieldTarget>();
  header.forEach((cell, index) => {
    const key = headerKey(cell);
    let field = savedByKey.has(key) ? (savedByKey.get(key) ?? null) : recognise(cell);
    if (field === undefined) {
      unknown.push({ index, header: cell });
      field = null;
    }
    if (field !== null && taken.has(field)) {
      duplicates.push({ index, header: cell, field });
      field = null;
    }
    if (field !== null) taken.add(field);
    fields.push(field);
  });
  return { fields, unknown, duplicates };
}

/** Targets a saved mapping may name: the kind's fields and, for customers, `custom.KEY`. */
export function mappingTargets(kind: ImportKind, custom: CustomFieldLabel[]): string[] {
  const base = Object.keys(COLUMNS_OF[kind]);
  return kind === 'customers' ? [...base, ...custom.map((def) => `custom.${def.key}`)] : base;
}
