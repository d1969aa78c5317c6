import { customerEnums } from '../../domain/customers/enums.js';
import { CUSTOMER_COLUMNS } from '../../domain/imports/column-mapping.js';
import type { AppContext } from '../../shared/context.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';
import { buildTemplate } from './xlsx-writers.js';

/** Hints under the template's headers, where a column has rules. */
const NOTES: Record<string, string> = {
  code: '留空则按编号规则自动生成 / Leave empty to number automatically',
  name: '必填 / Required',
  phone: '手机或带区号的座机，如 138 0013 8000、010-6552 9988 / Mobile or landline with area code',
  email: '如 name@example.com',
  firstContactOn: '日期，如 2024-03-05 或 2024年3月5日 / A date',
  cooperationStartOn: '日期，如 2024-03-05 或 2024年3月5日 / A date',
  birthYear: '如 1985 / e.g. 1985',
  tags: '多个标签用逗号或顿号分隔 / Separate tags with commas',
  owner: '用户名 / Username',
};

/** The fields a typical customer list holds, in the template's order. */
const TEMPLATE_FIELDS = [
  'code',
  'name',
  'type',
  'company',
  'phone',
  'email',
  'wechat',
  'province',
  'city',
  'address',
  'industry',
  'source',
  'stage',
  'status',
  'vip',
  'companySize',
  'gender',
  'firstContactOn',
  'cooperationStartOn',
  'tags',
  'owner',
  'notes',
];

/**
 * The customer import template: Chinese headers the import recognises, a hint per column, and
 * drop-down lists for enumerations, yes/no fields, owners and custom select fields.
 */
export async function customerTemplate(ctx: AppContext): Promise<Buffer> {
  const users = await ctx.db.query<{ username: string }>(
    'SELECT username FROM users WHERE NOT disabled ORDER BY username',
  );
  const defs = await listCustomFields(ctx.db);
  const enums = customerEnums as Record<string, readonly { zh: string }[]>;
  const columns = TEMPLATE_FIELDS.map((field) => ({
    header: CUSTOMER_COLUMNS[field]?.[0] ?? field,
    note: NOTES[field],
    options:
      field === 'vip'
        ? ['是', '否']
        : field === 'owner'
          ? users.rows.map((user) => user.username)
          : enums[field]?.map((option) => option.zh),
    width: field === 'address' || field === 'notes' ? 30 : 16,
  }));
  for (const def of defs.filter((candidate) => !candidate.personal)) {
    columns.push({
      header: def.labelZh,
      note: def.required ? '必填 / Required' : undefined,
      options:
        def.type === 'single_select'
          ? (def.options ?? []).map((option) => option.labelZh)
          : def.type === 'boolean'
            ? ['是', '否']
            : undefined,
      width: 16,
    });
  }
  return buildTemplate(columns, '客户 Customers');
}
