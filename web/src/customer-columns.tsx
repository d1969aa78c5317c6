import { CrownFilled } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { Link } from 'react-router';
import { EnumTag } from './components/EnumTag';
import { PersonalValue } from './components/PersonalValue';
import { TagList } from './components/TagList';
import { fieldLabelKey, type LabelledField } from './customer-fields';
import { formatMoney, formatPhone, orDash } from './format';
import { useT } from './i18n';
import { sortOrderOf } from './list-query';
import { useEnums } from './meta';
import type { Customer } from './types';

/** Columns the server can sort by (`sort=field` / `sort=-field`). */
const SORTABLE = new Set<LabelledField>(['code', 'name', 'industry', 'city', 'totalSpent', 'lastPurchaseOn']);

export function useCustomerColumns(sort: string | null): TableColumnsType<Customer> {
  const { t, lang } = useT();
  const enums = useEnums();
  return useMemo(() => {
    const column = (
      field: LabelledField,
      render?: (row: Customer) => ReactNode,
      extra: Partial<TableColumnsType<Customer>[number]> = {},
    ): TableColumnsType<Customer>[number] => ({
      key: field,
      dataIndex: field,
      title: t(fieldLabelKey(field)),
      sorter: SORTABLE.has(field),
      sortOrder: SORTABLE.has(field) ? sortOrderOf(sort, field) : undefined,
      sortDirections: ['ascend', 'descend'],
      render: render
        ? (_: unknown, row: Customer) => render(row)
        : (value: unknown) => orDash(value as string),
      ...extra,
    });
    return [
      column('code', undefined, { width: 130 }),
      column(
        'name',
        (row) => (
          <>
            <Link to={`/customers/${row.id}`} onClick={(event) => event.stopPropagation()}>
              {row.name}
            </Link>
            {row.vip && <CrownFilled style={{ color: '#faad14', marginInlineStart: 6 }} aria-label="VIP" />}
          </>
        ),
        { width: 180 },
      ),
      column('type', (row) => orDash(enums.label('type', row.type))),
      column('stage', (row) => <EnumTag name="stage" value={row.stage} />),
      column('status', (row) => <EnumTag name="status" value={row.status} />),
      column('industry'),
      column('city', (row) => orDash(row.city || row.province)),
      column('phone', (row) => (
        <PersonalValue customerId={row.id} field="phone" value={row.phone} format={formatPhone} />
      )),
      column('tags', (row) => <TagList tags={row.tags} max={3} />),
      column('totalSpent', (row) => formatMoney(row.totalSpent, lang), { align: 'right' }),
      column('lastPurchaseOn'),
      column('owner'),
    ];
  }, [t, lang, enums, sort]);
}
