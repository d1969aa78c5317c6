import { CheckCircleOutlined, EyeOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Popconfirm,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import {
  type MetricValues,
  type ReviewChange,
  type ReviewRecord,
  type ReviewResult,
  type SchemeDefinition,
  tiersApi,
} from '../api-tiers';
import { DATE_FORMAT, formatCount, formatDateTime } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';
import {
  byRankDesc,
  formatMetricValue,
  metricLabel,
  type NamedTier,
  TierChange,
  TierTag,
} from '../tier-format';

/** At most this many changes come back for the table; the total is always exact. */
const CHANGE_LIMIT = 1000;

interface Props {
  schemeId: string;
  definition: SchemeDefinition;
  tiers: readonly NamedTier[];
  mayManage: boolean;
  refreshKey: number;
  onApplied: () => void;
}

/** What the review saw for one customer: every metric of the scheme, month series month by month. */
export function MetricValuesView({
  definition,
  metrics,
}: {
  definition: SchemeDefinition;
  metrics: MetricValues;
}) {
  const { t, pick } = useT();
  const names = Object.keys(metrics);
  if (names.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2 }}
      bordered
      data-testid="change-metrics"
      items={names.map((name) => {
        const metric = definition.metrics[name];
        const value = metrics[name];
        return {
          key: name,
          label: metricLabel(name, metric, pick),
          children: Array.isArray(value) ? (
            <Flex gap={4} wrap>
              {value.map((item, i) => (
                <Tag key={i} style={{ marginInlineEnd: 0 }}>
                  {t('tiers.metric.month', { n: i + 1 })}: {formatMetricValue(metric, item)}
                </Tag>
              ))}
            </Flex>
          ) : (
            formatMetricValue(metric, value)
          ),
        };
      })}
    />
  );
}

export function SchemeReviewTab({ schemeId, definition, tiers, mayManage, refreshKey, onApplied }: Props) {
  const { t, pick } = useT();
  const { message } = App.useApp();
  const notify = useNotify();
  const [asOf, setAsOf] = useState<Dayjs>(() => dayjs());
  const [result, setResult] = useState<ReviewResult | null>(null);
  const [running, setRunning] = useState<'preview' | 'apply' | null>(null);
  const [reviews, setReviews] = useState<ReviewRecord[]>([]);
  const [current, setCurrent] = useState<Record<string, number>>({});
  /** The counts before the shown review ran (the current ones reload after an applied review). */
  const [baseline, setBaseline] = useState<Record<string, number>>({});
  const [loading, setLoading] = useState(true);

  const loadReviews = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        const [list, distribution] = await Promise.all([
          tiersApi.listReviews(schemeId, signal),
          tiersApi.distribution(schemeId, signal),
        ]);
        setReviews(list.items);
        setCurrent(distribution.current);
      } catch (cause) {
        if (!signal?.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [schemeId, notify],
  );
  useEffect(() => {
    void refreshKey;
    const controller = new AbortController();
    void loadReviews(controller.signal);
    return () => controller.abort();
  }, [loadReviews, refreshKey]);

  const run = async (dryRun: boolean) => {
    setRunning(dryRun ? 'preview' : 'apply');
    const before = current;
    try {
      const answer = await tiersApi.review(schemeId, {
        asOf: asOf.format(DATE_FORMAT),
        dryRun,
        changeLimit: CHANGE_LIMIT,
      });
      setResult(answer);
      setBaseline(before);
      if (!dryRun) {
        void message.success(t('tiers.review.applied', { n: formatCount(answer.changesTotal) }));
        onApplied();
      }
    } catch (cause) {
      notify.error(cause);
    } finally {
      setRunning(null);
    }
  };

  const countRows = byRankDesc(tiers).map((tier) => ({
    key: tier.key,
    now: baseline[tier.key] ?? 0,
    after: result?.counts[tier.key] ?? 0,
  }));
  const countColumns: TableColumnsType<(typeof countRows)[number]> = [
    { key: 'tier', title: t('tiers.tier'), render: (_, row) => <TierTag tiers={tiers} tierKey={row.key} /> },
    { key: 'now', title: t('tiers.review.now'), align: 'right', render: (_, row) => formatCount(row.now) },
    {
      key: 'after',
      title: t('tiers.review.after'),
      align: 'right',
      render: (_, row) => <span data-testid={`review-count-${row.key}`}>{formatCount(row.after)}</span>,
    },
    {
      key: 'delta',
      title: t('tiers.review.delta'),
      align: 'right',
      render: (_, row) => {
        const delta = row.after - row.now;
        if (delta === 0) return <Typography.Text type="secondary">0</Typography.Text>;
        return (
          <Typography.Text type={delta > 0 ? 'success' : 'danger'}>
            {delta > 0 ? '+' : ''}
            {formatCount(delta)}
          </Typography.Text>
        );
      },
    },
  ];

  const changeColumns: TableColumnsType<ReviewChange> = [
    {
      key: 'customer',
      title: t('field.code'),
      render: (_, row) => <Link to={`/customers/${row.customerId}`}>{row.customer}</Link>,
    },
    {
      key: 'change',
      title: t('tiers.change'),
      render: (_, row) => <TierChange tiers={tiers} from={row.from} to={row.to} />,
    },
    {
      key: 'reason',
      title: t('tiers.reason'),
      render: (_, row) => (
        <Flex vertical>
          <span>{pick(row.reason.zh, row.reason.en)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('tiers.review.rule', { rule: row.rule })}
            {row.stepped ? ` · ${t('tiers.review.stepped')}` : ''}
          </Typography.Text>
        </Flex>
      ),
    },
  ];

  const reviewColumns: TableColumnsType<ReviewRecord> = [
    { key: 'asOf', title: t('tiers.review.asOf'), dataIndex: 'asOf' },
    {
      key: 'trigger',
      title: t('tiers.review.trigger'),
      render: (_, row) => (
        <Tag color={row.trigger === 'schedule' ? 'cyan' : 'default'}>
          {t(`tiers.review.trigger.${row.trigger}`)}
        </Tag>
      ),
    },
    { key: 'version', title: t('tiers.schemeVersion'), render: (_, row) => `v${row.version}` },
    {
      key: 'changes',
      title: t('tiers.review.changes'),
      align: 'right',
      render: (_, row) => formatCount(row.changes),
    },
    {
      key: 'counts',
      title: t('tiers.review.counts'),
      render: (_, row) => (
        <Flex gap={4} wrap>
          {Object.entries(row.counts).map(([key, n]) => (
            <span key={key}>
              <TierTag tiers={tiers} tierKey={key} /> {formatCount(n)}
            </span>
          ))}
        </Flex>
      ),
    },
    { key: 'actor', title: t('tiers.actor'), dataIndex: 'actor' },
    {
      key: 'createdAt',
      title: t('tiers.review.createdAt'),
      render: (_, row) => formatDateTime(row.createdAt),
    },
  ];

  return (
    <Flex vertical gap={16}>
      {mayManage && (
        <Card size="small" title={t('tiers.review.run')}>
          <Flex vertical gap={12}>
            <Typography.Text type="secondary">{t('tiers.review.hint')}</Typography.Text>
            <Flex gap={8} align="center" wrap>
              <Typography.Text>{t('tiers.review.asOf')}</Typography.Text>
              <DatePicker
                value={asOf}
                onChange={(value) => {
                  if (value) setAsOf(value);
                  setResult(null);
                }}
                allowClear={false}
                disabledDate={(day) => day.isAfter(dayjs(), 'day')}
                data-testid="review-as-of"
              />
              <Button
                icon={<EyeOutlined />}
                loading={running === 'preview'}
                disabled={running !== null}
                onClick={() => run(true)}
                data-testid="review-preview"
              >
                {t('tiers.review.preview')}
              </Button>
              <Popconfirm
                title={t('tiers.review.confirmTitle', { asOf: asOf.format(DATE_FORMAT) })}
                description={t('tiers.review.confirmBody')}
                okText={t('tiers.review.apply')}
                cancelText={t('common.cancel')}
                okButtonProps={testId('review-apply-confirm')}
                onConfirm={() => run(false)}
              >
                <Button
                  type="primary"
                  icon={<CheckCircleOutlined />}
                  loading={running === 'apply'}
                  disabled={running !== null}
                  data-testid="review-apply"
                >
                  {t('tiers.review.apply')}
                </Button>
              </Popconfirm>
            </Flex>
            {result && (
              <Flex vertical gap={12} data-testid="review-result" data-dry-run={String(result.dryRun)}>
                <Alert
                  type={result.dryRun ? 'info' : 'success'}
                  showIcon
                  title={
                    result.dryRun
                      ? t('tiers.review.previewResult', {
                          asOf: result.asOf,
                          n: formatCount(result.changesTotal),
                        })
                      : t('tiers.review.appliedResult', {
                          asOf: result.asOf,
                          n: formatCount(result.changesTotal),
                        })
                  }
                  description={
                    result.changes.length < result.changesTotal
                      ? t('tiers.review.firstShown', {
                          shown: formatCount(result.changes.length),
                          total: formatCount(result.changesTotal),
                        })
                      : undefined
                  }
                  data-testid="review-summary"
                />
                <Table
                  rowKey="key"
                  size="small"
                  columns={countColumns}
                  dataSource={countRows}
                  pagination={false}
                  style={{ maxWidth: 560 }}
                  data-testid="review-counts"
                />
                <Table<ReviewChange>
                  rowKey="customerId"
                  size="small"
                  columns={changeColumns}
                  dataSource={result.changes}
                  pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
                  expandable={{
                    expandedRowRender: (row) => (
                      <MetricValuesView definition={definition} metrics={row.metrics} />
                    ),
                  }}
                  scroll={{ x: 'max-content' }}
                  locale={{ emptyText: t('tiers.review.noChanges') }}
                  data-testid="review-changes"
                />
              </Flex>
            )}
          </Flex>
        </Card>
      )}
      <Card size="small" title={t('tiers.review.past')}>
        <Table<ReviewRecord>
          rowKey="id"
          size="small"
          columns={reviewColumns}
          dataSource={reviews}
          loading={loading}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('tiers.review.noPast') }}
          data-testid="reviews-table"
        />
      </Card>
    </Flex>
  );
}
