import { ArrowLeftOutlined, CheckOutlined, CloseOutlined, DownloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Flex,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Query } from '../api';
import {
  NOTICE_STATUSES,
  type NoticeStatus,
  type SchemeSummary,
  type TierNotice,
  tiersApi,
} from '../api-tiers';
import { formatCount, formatDateTime } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { TierChange } from '../tier-format';

const PAGE_SIZE = 200;
type StatusFilter = NoticeStatus | 'all';

const STATUS_COLORS: Record<NoticeStatus, string> = {
  pending: 'orange',
  sent: 'green',
  cancelled: 'default',
};

/** The outbox of tier-change notices: read them, send them elsewhere, mark them sent or cancelled. */
export function TierNoticesPage() {
  const { t, pick } = useT();
  const { message } = App.useApp();
  const notify = useNotify();
  const navigate = useNavigate();
  const [status, setStatus] = useState<StatusFilter>('pending');
  const [scheme, setScheme] = useState<string | undefined>(undefined);
  const [schemes, setSchemes] = useState<SchemeSummary[]>([]);
  const [items, setItems] = useState<TierNotice[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<number[]>([]);
  const [marking, setMarking] = useState<'sent' | 'cancelled' | null>(null);

  const query = useMemo<Query>(
    () => ({ status: status === 'all' ? undefined : status, scheme, limit: PAGE_SIZE }),
    [status, scheme],
  );

  useEffect(() => {
    const controller = new AbortController();
    tiersApi
      .listSchemes(controller.signal)
      .then((answer) => setSchemes(answer.items))
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notify.error(cause, 'common.loadFailed');
      });
    return () => controller.abort();
  }, [notify]);

  const load = useCallback(
    async (after: number | null, signal?: AbortSignal) => {
      setLoading(true);
      try {
        const page = await tiersApi.listNotices({ ...query, after: after ?? undefined }, signal);
        setItems((previous) => (after ? [...previous, ...page.items] : page.items));
        setHasMore(page.items.length === PAGE_SIZE);
      } catch (cause) {
        if (!signal?.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [query, notify],
  );
  useEffect(() => {
    const controller = new AbortController();
    setSelected([]);
    void load(null, controller.signal);
    return () => controller.abort();
  }, [load]);

  const mark = async (to: 'sent' | 'cancelled') => {
    setMarking(to);
    try {
      const { updated } = await tiersApi.markNotices(selected, to);
      void message.success(
        t(to === 'sent' ? 'tiers.notices.markedSent' : 'tiers.notices.markedCancelled', {
          n: formatCount(updated),
        }),
      );
      setSelected([]);
      void load(null);
    } catch (cause) {
      notify.error(cause);
    } finally {
      setMarking(null);
    }
  };

  const tiersOf = (id: string) => schemes.find((item) => item.id === id)?.tiers ?? [];
  const schemeName = (id: string) => {
    const found = schemes.find((item) => item.id === id);
    return found ? pick(found.name.zh, found.name.en) : id;
  };

  const columns: TableColumnsType<TierNotice> = [
    { key: 'date', title: t('tiers.notices.date'), dataIndex: 'date', width: 110 },
    {
      key: 'customer',
      title: t('audit.customer'),
      render: (_, row) => (
        <Flex vertical>
          <Link to={`/customers/${row.customerId}`}>{row.customer}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.customerName}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'scheme',
      title: t('tiers.notices.scheme'),
      render: (_, row) => (
        <Link to={`/tiers/${encodeURIComponent(row.scheme)}`}>{schemeName(row.scheme)}</Link>
      ),
    },
    {
      key: 'change',
      title: t('tiers.change'),
      render: (_, row) => <TierChange tiers={tiersOf(row.scheme)} from={row.from} to={row.to} />,
    },
    {
      key: 'text',
      title: t('tiers.notices.text'),
      render: (_, row) => (
        <Typography.Paragraph style={{ margin: 0, maxWidth: 520 }} data-testid="notice-text">
          {pick(row.text.zh, row.text.en)}
        </Typography.Paragraph>
      ),
    },
    {
      key: 'status',
      title: t('tiers.notices.status'),
      render: (_, row) => (
        <Flex vertical>
          <Tag color={STATUS_COLORS[row.status]} style={{ marginInlineEnd: 0, width: 'fit-content' }}>
            {t(`tiers.notices.status.${row.status}`)}
          </Tag>
          {row.sentAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(row.sentAt)}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <div>
        <Button
          type="link"
          icon={<ArrowLeftOutlined />}
          onClick={() => navigate('/tiers')}
          style={{ paddingInline: 0 }}
        >
          {t('tiers.backToList')}
        </Button>
      </div>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('tiers.notices.title')}
        </Typography.Title>
        <Button
          icon={<DownloadOutlined />}
          href={tiersApi.noticesCsvUrl({ status: status === 'all' ? undefined : status, scheme })}
          data-testid="notices-csv"
        >
          {t('tiers.notices.csv')}
        </Button>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('tiers.notices.intro')}
      </Typography.Paragraph>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Segmented<StatusFilter>
            value={status}
            onChange={setStatus}
            options={[
              ...NOTICE_STATUSES.map((value) => ({ value, label: t(`tiers.notices.status.${value}`) })),
              { value: 'all' as const, label: t('tiers.notices.status.all') },
            ]}
            data-testid="notices-status"
          />
          <Select
            allowClear
            value={scheme}
            onChange={(value: string | undefined) => setScheme(value)}
            placeholder={t('tiers.notices.allSchemes')}
            options={schemes.map((item) => ({ value: item.id, label: pick(item.name.zh, item.name.en) }))}
            style={{ minWidth: 200 }}
            data-testid="notices-scheme"
          />
        </Space>
        <Space wrap>
          <Typography.Text type="secondary">
            {t('tiers.notices.selected', { n: selected.length })}
          </Typography.Text>
          <Button
            icon={<CheckOutlined />}
            disabled={selected.length === 0 || marking !== null}
            loading={marking === 'sent'}
            onClick={() => mark('sent')}
            data-testid="notices-mark-sent"
          >
            {t('tiers.notices.markSent')}
          </Button>
          <Popconfirm
            title={t('tiers.notices.cancelConfirm', { n: selected.length })}
            okText={t('tiers.notices.markCancelled')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => mark('cancelled')}
            disabled={selected.length === 0 || marking !== null}
          >
            <Button
              danger
              icon={<CloseOutlined />}
              disabled={selected.length === 0 || marking !== null}
              loading={marking === 'cancelled'}
              data-testid="notices-mark-cancelled"
            >
              {t('tiers.notices.markCancelled')}
            </Button>
          </Popconfirm>
        </Space>
      </Flex>
      <Table<TierNotice>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys.map(Number)),
          getCheckboxProps: (row) => ({ disabled: row.status !== 'pending' }),
        }}
        locale={{ emptyText: t('tiers.notices.empty') }}
        data-testid="notices-table"
      />
      {hasMore && (
        <Flex justify="center">
          <Button loading={loading} onClick={() => load(items.at(-1)?.id ?? null)} data-testid="notices-more">
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
}
