import { ReloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Flex,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type IncompleteCustomer, type QualitySummary, qualityApi, type StaleCustomer } from '../api-imports';
import { FIELD_SPECS, fieldLabelKey, type LabelledField } from '../customer-fields';
import { formatCount, formatDateTime, orDash } from '../format';
import { type MessageKey, useT } from '../i18n';
import { useNotify } from '../notify';

const PAGE_SIZE = 50;
const THRESHOLDS = [40, 60, 80, 101] as const;
const STALE_DAYS = [90, 180, 365, 730] as const;
const BAND_COLORS = ['#ff4d4f', '#fa8c16', '#fadb14', '#52c41a'];

/** Weighted fields that are not one customer field. */
const COMBINED_FIELDS: Record<string, MessageKey> = {
  region: 'quality.field.region',
  wechatOrQq: 'quality.field.wechatOrQq',
};

function useQualityFieldLabel(): (field: string) => string {
  const { t } = useT();
  return (field) => {
    const combined = COMBINED_FIELDS[field];
    if (combined) return t(combined);
    return FIELD_SPECS.some((spec) => spec.name === field) ? t(fieldLabelKey(field as LabelledField)) : field;
  };
}

/** 数据质量 / Data quality: how complete the records are, which lack what, which have gone quiet. */
export function QualityPage() {
  const { t } = useT();
  const notify = useNotify();
  const label = useQualityFieldLabel();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'stale' ? 'stale' : 'incomplete';
  const [below, setBelow] = useState<number>(60);
  const [staleDays, setStaleDays] = useState<number>(180);
  const [reloads, setReloads] = useState(0);
  const [summary, setSummary] = useState<QualitySummary | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    qualityApi
      .summary({ below, staleDays }, controller.signal)
      .then(setSummary)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notify.error(cause, 'common.loadFailed');
      });
    return () => controller.abort();
  }, [below, staleDays, notify, reloads]);

  const total = summary?.customers ?? 0;
  const percent = (n: number) => (total > 0 ? Math.round((n / total) * 1000) / 10 : 0);

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('quality.title')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => setReloads((n) => n + 1)}>
          {t('imports.history.refresh')}
        </Button>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('quality.intro')}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic
              title={t('quality.customers')}
              value={summary ? formatCount(summary.customers) : '—'}
              data-testid="quality-customers"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic
              title={t('quality.average')}
              value={summary?.averageScore ?? '—'}
              suffix={summary?.averageScore !== null && summary ? '/ 100' : undefined}
              data-testid="quality-average"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic
              title={t('quality.incompleteCount', { below })}
              value={summary ? formatCount(summary.incomplete) : '—'}
              data-testid="quality-incomplete"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic
              title={t('quality.staleCount', { days: staleDays })}
              value={summary ? formatCount(summary.stale) : '—'}
              data-testid="quality-stale"
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('quality.bands')} style={{ height: '100%' }}>
            <Flex vertical gap={8} data-testid="quality-bands">
              {(summary?.bands ?? []).map((band, index) => (
                <Flex key={band.band} align="center" gap={12} data-testid={`quality-band-${band.band}`}>
                  <span style={{ width: 88, flex: 'none' }}>
                    {t('quality.band', { min: band.min, max: band.max })}
                  </span>
                  <Progress
                    percent={percent(band.count)}
                    strokeColor={BAND_COLORS[index]}
                    format={() => formatCount(band.count)}
                    style={{ flex: 1, margin: 0 }}
                  />
                </Flex>
              ))}
              <Typography.Text type="secondary">{t('quality.bandsHint')}</Typography.Text>
            </Flex>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('quality.fields')} style={{ height: '100%' }}>
            <Flex vertical gap={4}>
              {(summary?.fields ?? []).map((field) => (
                <Flex key={field.field} align="center" gap={12}>
                  <span style={{ width: 180, flex: 'none' }}>
                    {label(field.field)}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {' '}
                      {t('quality.weight', { n: field.weight })}
                    </Typography.Text>
                  </span>
                  <Progress
                    percent={percent(field.filled)}
                    size="small"
                    format={(value) => `${value ?? 0}%`}
                    style={{ flex: 1, margin: 0 }}
                  />
                </Flex>
              ))}
            </Flex>
          </Card>
        </Col>
      </Row>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'stale' ? { tab: 'stale' } : {}, { replace: true })}
        items={[
          {
            key: 'incomplete',
            label: <span data-testid="quality-tab-incomplete">{t('quality.tab.incomplete')}</span>,
            children: <IncompleteList below={below} onBelow={setBelow} reloads={reloads} />,
          },
          {
            key: 'stale',
            label: <span data-testid="quality-tab-stale">{t('quality.tab.stale')}</span>,
            children: <StaleList days={staleDays} onDays={setStaleDays} reloads={reloads} />,
          },
        ]}
      />
    </Flex>
  );
}

function IncompleteList({
  below,
  onBelow,
  reloads,
}: {
  below: number;
  onBelow: (value: number) => void;
  reloads: number;
}) {
  const { t } = useT();
  const notify = useNotify();
  const label = useQualityFieldLabel();
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<string>('score');
  const [data, setData] = useState<{ items: IncompleteCustomer[]; total: number } | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    qualityApi
      .incomplete({ below, sort, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, controller.signal)
      .then(setData)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notify.error(cause, 'common.loadFailed');
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [below, sort, page, notify, reloads]);

  const order = (field: string) => (sort === field ? 'ascend' : sort === `-${field}` ? 'descend' : null);
  const columns: TableColumnsType<IncompleteCustomer> = [
    {
      key: 'code',
      title: t('field.code'),
      render: (_, row) => <Link to={`/customers/${row.id}`}>{row.code}</Link>,
    },
    { key: 'name', title: t('field.name'), dataIndex: 'name' },
    { key: 'owner', title: t('field.owner'), render: (_, row) => orDash(row.owner) },
    {
      key: 'score',
      title: t('quality.score'),
      sorter: true,
      sortOrder: order('score'),
      width: 160,
      render: (_, row) => (
        <Progress
          percent={row.score}
          size="small"
          status={row.score < 40 ? 'exception' : 'normal'}
          format={(value) => String(value ?? 0)}
        />
      ),
    },
    {
      key: 'missing',
      title: t('quality.missing'),
      render: (_, row) => (
        <Flex gap={4} wrap>
          {row.missing.map((field) => (
            <Tag key={field} style={{ marginInlineEnd: 0 }}>
              {label(field)}
            </Tag>
          ))}
        </Flex>
      ),
    },
    {
      key: 'updatedAt',
      title: t('field.updatedAt'),
      sorter: true,
      sortOrder: order('updatedAt'),
      render: (_, row) => formatDateTime(row.updatedAt),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <span>{t('quality.below')}</span>
        <Select<number>
          value={below}
          onChange={(value) => {
            onBelow(value);
            setPage(1);
          }}
          options={THRESHOLDS.map((value) => ({
            value,
            label: value > 100 ? t('quality.belowAll') : t('quality.belowValue', { n: value }),
          }))}
          style={{ minWidth: 160 }}
          data-testid="quality-below"
        />
      </Space>
      <Table<IncompleteCustomer>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={{ x: 'max-content' }}
        showSorterTooltip={false}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (n) => t('quality.total', { n: formatCount(n) }),
        }}
        onChange={(pagination, _filters, sorter, extra) => {
          if (extra.action === 'paginate') {
            setPage(pagination.current ?? 1);
            return;
          }
          if (extra.action !== 'sort') return;
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const field = typeof s?.columnKey === 'string' ? s.columnKey : 'score';
          setSort(s?.order === 'descend' ? `-${field}` : s?.order === 'ascend' ? field : 'score');
          setPage(1);
        }}
        locale={{ emptyText: t('quality.incompleteEmpty') }}
        data-testid="quality-incomplete-table"
      />
    </Flex>
  );
}

function StaleList({
  days,
  onDays,
  reloads,
}: {
  days: number;
  onDays: (value: number) => void;
  reloads: number;
}) {
  const { t } = useT();
  const notify = useNotify();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: StaleCustomer[]; total: number } | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    qualityApi
      .stale({ days, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, controller.signal)
      .then(setData)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notify.error(cause, 'common.loadFailed');
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [days, page, notify, reloads]);

  const columns: TableColumnsType<StaleCustomer> = [
    {
      key: 'code',
      title: t('field.code'),
      render: (_, row) => <Link to={`/customers/${row.id}`}>{row.code}</Link>,
    },
    { key: 'name', title: t('field.name'), dataIndex: 'name' },
    { key: 'owner', title: t('field.owner'), render: (_, row) => orDash(row.owner) },
    {
      key: 'idleDays',
      title: t('quality.idleDays'),
      render: (_, row) => <Tag color="orange">{t('quality.days', { n: formatCount(row.idleDays) })}</Tag>,
    },
    { key: 'updatedAt', title: t('field.updatedAt'), render: (_, row) => formatDateTime(row.updatedAt) },
    {
      key: 'lastPurchaseOn',
      title: t('field.lastPurchaseOn'),
      render: (_, row) => orDash(row.lastPurchaseOn),
    },
    {
      key: 'lastContactedAt',
      title: t('quality.lastContacted'),
      render: (_, row) => formatDateTime(row.lastContactedAt),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <span>{t('quality.staleFor')}</span>
        <Select<number>
          value={days}
          onChange={(value) => {
            onDays(value);
            setPage(1);
          }}
          options={STALE_DAYS.map((value) => ({ value, label: t('quality.days', { n: value }) }))}
          style={{ minWidth: 120 }}
          data-testid="quality-stale-days"
        />
        <Typography.Text type="secondary">{t('quality.staleHint')}</Typography.Text>
      </Space>
      <Table<StaleCustomer>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (n) => t('quality.total', { n: formatCount(n) }),
          onChange: setPage,
        }}
        locale={{ emptyText: t('quality.staleEmpty') }}
        data-testid="quality-stale-table"
      />
    </Flex>
  );
}
