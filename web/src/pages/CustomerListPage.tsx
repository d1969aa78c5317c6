import { ImportOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api, type CustomerPage } from '../api';
import { CursorPager } from '../components/CursorPager';
import { CustomerExportButton } from '../components/CustomerExportButton';
import { CustomerFilters } from '../components/CustomerFilters';
import { EmptyCustomers } from '../components/EmptyCustomers';
import { useCustomerColumns } from '../customer-columns';
import { useT } from '../i18n';
import {
  hasFilters,
  type ListParams,
  readListParams,
  readPagingState,
  toApiQuery,
  writeListParams,
} from '../list-query';
import { useNotify } from '../notify';
import { useCan } from '../session';
import type { Customer } from '../types';
import { useDebouncedCallback } from '../use-debounced-callback';

export function CustomerListPage() {
  const { t } = useT();
  const can = useCan();
  const notify = useNotify();
  const navigate = useNavigate();
  const location = useLocation();
  const params = useMemo(() => readListParams(new URLSearchParams(location.search)), [location.search]);
  const { cursors } = readPagingState(location.state);
  const cursor = cursors.at(-1) ?? null;

  // The latest params, for the debounced search that fires after later renders.
  const latest = useRef(params);
  useEffect(() => {
    latest.current = params;
  });

  const go = useCallback(
    (next: ListParams, nextCursors: string[] = [], replace = false) => {
      const search = writeListParams(next).toString();
      navigate(
        { pathname: '/customers', search: search ? `?${search}` : '' },
        { replace, state: { cursors: nextCursors } },
      );
    },
    [navigate],
  );

  const [searchText, setSearchText] = useState(params.search);
  useEffect(() => setSearchText(params.search), [params.search]);
  const applySearch = useDebouncedCallback((text: string) => {
    if (text.trim() !== latest.current.search.trim()) go({ ...latest.current, search: text }, [], true);
  }, 300);

  const [page, setPage] = useState<CustomerPage | null>(null);
  const [reloads, setReloads] = useState(0);
  const [loading, setLoading] = useState(true);
  // The server counts up to 5,000 matches unless asked for the exact total; once asked, every page
  // of the same search and filters asks again (sort and page size do not change the count).
  const countKey = useMemo(() => JSON.stringify([params.search.trim(), params.filters]), [params]);
  const [exactFor, setExactFor] = useState<string | null>(null);
  const exactTotal = exactFor === countKey;
  const query = useMemo(
    () => ({ ...toApiQuery(params, cursor), exactTotal: exactTotal || undefined }),
    [params, cursor, exactTotal],
  );
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .listCustomers(query, controller.signal)
      .then(setPage)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notify.error(cause, 'common.loadFailed');
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, notify, reloads]);

  const columns = useCustomerColumns(params.sort);
  const filtered = hasFilters(params);
  const clearAll = () => {
    applySearch.cancel();
    setSearchText('');
    go({ ...params, search: '', filters: readListParams(new URLSearchParams()).filters });
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('nav.customers')}
        </Typography.Title>
        <Space wrap>
          {can('customers.export') && <CustomerExportButton query={query} filtered={filtered} />}
          {can('customers.import') && (
            <Button
              icon={<ImportOutlined />}
              onClick={() => navigate('/import')}
              data-testid="customer-import"
            >
              {t('nav.import')}
            </Button>
          )}
          {can('customers.write') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/customers/new')}
              data-testid="customer-new"
            >
              {t('list.new')}
            </Button>
          )}
        </Space>
      </Flex>
      <Input
        data-testid="customer-search"
        allowClear
        prefix={<SearchOutlined />}
        placeholder={t('list.search')}
        aria-label={t('list.search')}
        value={searchText}
        onChange={(event) => {
          setSearchText(event.target.value);
          applySearch(event.target.value);
        }}
        onPressEnter={() => {
          // Enter searches at once instead of waiting for the debounce.
          applySearch.cancel();
          if (searchText.trim() !== params.search.trim()) go({ ...params, search: searchText }, [], true);
        }}
        style={{ maxWidth: 480 }}
      />
      <CustomerFilters
        filters={params.filters}
        onChange={(key, values) => go({ ...params, filters: { ...params.filters, [key]: values } })}
        onClear={filtered ? clearAll : null}
      />
      <div>
        <Table<Customer>
          data-testid="customer-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={page?.items ?? []}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          showSorterTooltip={false}
          locale={
            page
              ? {
                  emptyText: (
                    <EmptyCustomers
                      filtered={filtered}
                      onClear={clearAll}
                      onDemoLoaded={() => setReloads((n) => n + 1)}
                    />
                  ),
                }
              : undefined
          }
          onRow={(row) => ({ onClick: () => navigate(`/customers/${row.id}`), style: { cursor: 'pointer' } })}
          onChange={(_pagination, _filters, sorter, extra) => {
            if (extra.action !== 'sort') return;
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const field = typeof s?.columnKey === 'string' ? s.columnKey : null;
            const sort = field && s?.order ? (s.order === 'descend' ? `-${field}` : field) : null;
            go({ ...params, sort });
          }}
        />
        <CursorPager
          page={cursors.length + 1}
          total={page?.total}
          totalIsExact={page?.totalIsExact}
          onCountExactly={() => setExactFor(countKey)}
          limit={params.limit}
          hasNext={Boolean(page?.nextCursor)}
          loading={loading}
          onPrev={() => go(params, cursors.slice(0, -1), true)}
          onNext={() => {
            if (page?.nextCursor) go(params, [...cursors, page.nextCursor], true);
          }}
          onLimitChange={(limit) => go({ ...params, limit })}
        />
      </div>
    </Flex>
  );
}
