import { EditOutlined, UnlockOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Popconfirm, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { type Assignment, type SchemeSummary, type TierHistoryEntry, tiersApi } from '../api-tiers';
import { orDash } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { useCan } from '../session';
import { TierChange, TierTag } from '../tier-format';
import { OverrideInfo } from './SchemeCustomersTab';
import { TierOverrideModal } from './TierOverrideModal';

interface Row {
  scheme: SchemeSummary;
  assignment: (Assignment & { scheme: string }) | null;
}

/** 客户等级: the customer's tier in every scheme, hand overrides, and the history with reasons. */
export function TiersCard({ customerId }: { customerId: number }) {
  const { t, pick } = useT();
  const can = useCan();
  const mayOverride = can('tiers.override');
  const notify = useNotify();
  const [schemes, setSchemes] = useState<SchemeSummary[]>([]);
  const [assignments, setAssignments] = useState<(Assignment & { scheme: string })[]>([]);
  const [history, setHistory] = useState<TierHistoryEntry[]>([]);
  const [loading, setLoading] = useState(true);
  const [overriding, setOverriding] = useState<Row | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        const [list, tiers] = await Promise.all([
          tiersApi.listSchemes(signal),
          tiersApi.customerTiers(customerId, signal),
        ]);
        setSchemes(list.items);
        setAssignments(tiers.items);
        setHistory(tiers.history);
      } catch (cause) {
        if (!signal?.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [customerId, notify],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const release = async (row: Row) => {
    try {
      await tiersApi.releaseOverride(customerId, row.scheme.id);
      notify.success('tiers.override.released');
      void load();
    } catch (cause) {
      notify.error(cause);
    }
  };

  const rows: Row[] = schemes.map((scheme) => ({
    scheme,
    assignment: assignments.find((item) => item.scheme === scheme.id) ?? null,
  }));
  const schemeOf = (id: string) => schemes.find((scheme) => scheme.id === id);

  const columns: TableColumnsType<Row> = [
    {
      key: 'scheme',
      title: t('tiers.notices.scheme'),
      render: (_, row) => (
        <Link to={`/tiers/${encodeURIComponent(row.scheme.id)}`}>
          {pick(row.scheme.name.zh, row.scheme.name.en)}
        </Link>
      ),
    },
    {
      key: 'tier',
      title: t('tiers.tier'),
      render: (_, row) =>
        row.assignment ? (
          <TierTag
            tiers={row.scheme.tiers}
            tierKey={row.assignment.tier}
            data-testid={`customer-tier-${row.scheme.id}`}
          />
        ) : (
          <Typography.Text type="secondary" data-testid={`customer-tier-${row.scheme.id}`}>
            {t('tiers.noTier')}
          </Typography.Text>
        ),
    },
    { key: 'since', title: t('tiers.since'), render: (_, row) => orDash(row.assignment?.since) },
    {
      key: 'override',
      title: t('tiers.override.column'),
      render: (_, row) => <OverrideInfo override={row.assignment?.override ?? null} />,
    },
  ];
  if (mayOverride)
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_, row) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => setOverriding(row)}
            data-testid={`tier-override-${row.scheme.id}`}
          >
            {t('tiers.override.open')}
          </Button>
          {row.assignment?.override?.locked && (
            <Popconfirm
              title={t('tiers.override.releaseConfirm')}
              okText={t('tiers.override.release')}
              cancelText={t('common.cancel')}
              onConfirm={() => release(row)}
            >
              <Button size="small" icon={<UnlockOutlined />} data-testid={`tier-release-${row.scheme.id}`}>
                {t('tiers.override.release')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });

  const historyColumns: TableColumnsType<TierHistoryEntry> = [
    { key: 'date', title: t('tiers.notices.date'), dataIndex: 'date', width: 110 },
    {
      key: 'scheme',
      title: t('tiers.notices.scheme'),
      render: (_, row) => {
        const scheme = schemeOf(row.scheme);
        return scheme ? pick(scheme.name.zh, scheme.name.en) : row.scheme;
      },
    },
    {
      key: 'change',
      title: t('tiers.change'),
      render: (_, row) => (
        <TierChange tiers={schemeOf(row.scheme)?.tiers ?? []} from={row.from} to={row.to} />
      ),
    },
    {
      key: 'kind',
      title: t('tiers.history.kind'),
      render: (_, row) => (
        <Tag color={row.kind === 'override' ? 'purple' : 'blue'} style={{ marginInlineEnd: 0 }}>
          {t(`tiers.history.kind.${row.kind}`)}
        </Tag>
      ),
    },
    {
      key: 'reason',
      title: t('tiers.reason'),
      render: (_, row) => <span data-testid="tier-history-reason">{pick(row.reason.zh, row.reason.en)}</span>,
    },
    { key: 'actor', title: t('tiers.actor'), dataIndex: 'actor' },
  ];

  return (
    <Card size="small" title={t('tiers.card.title')} data-testid="tiers-card">
      <Flex vertical gap={12}>
        <Table<Row>
          rowKey={(row) => row.scheme.id}
          size="small"
          columns={columns}
          dataSource={rows}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('tiers.card.noSchemes') }}
          data-testid="customer-tiers"
        />
        <div>
          <Typography.Text type="secondary">{t('tiers.card.history')}</Typography.Text>
          <Table<TierHistoryEntry>
            rowKey="id"
            size="small"
            columns={historyColumns}
            dataSource={history}
            loading={loading}
            pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('tiers.card.noHistory') }}
            data-testid="tier-history"
          />
        </div>
      </Flex>
      <TierOverrideModal
        customerId={customerId}
        scheme={overriding?.scheme ?? null}
        currentTier={overriding?.assignment?.tier ?? null}
        onClose={() => setOverriding(null)}
        onDone={() => {
          setOverriding(null);
          void load();
        }}
      />
    </Card>
  );
}
