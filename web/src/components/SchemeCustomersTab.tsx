import { LockOutlined } from '@ant-design/icons';
import { Flex, Select, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { type Assignment, tiersApi } from '../api-tiers';
import { formatDateTime } from '../format';
import { useT } from '../i18n';
import { DEFAULT_PAGE_SIZE } from '../list-query';
import { useNotify } from '../notify';
import { byRankDesc, type NamedTier, TierTag, tierName } from '../tier-format';
import { CursorPager } from './CursorPager';

interface Props {
  schemeId: string;
  tiers: readonly NamedTier[];
  refreshKey: number;
}

/** The override column: who set the tier by hand, why, and whether reviews keep off it. */
export function OverrideInfo({ override }: { override: Assignment['override'] }) {
  const { t } = useT();
  if (!override) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tooltip
      title={
        <Flex vertical>
          <span>{t('tiers.override.reasonShown', { reason: override.reason })}</span>
          <span>{t('tiers.override.byAt', { by: override.by, at: formatDateTime(override.at) })}</span>
        </Flex>
      }
    >
      <Flex gap={4} align="center" wrap data-testid="override-info">
        <Tag color="purple" style={{ marginInlineEnd: 0 }}>
          {t('tiers.override.manual')}
        </Tag>
        {override.locked && (
          <Tag
            icon={<LockOutlined />}
            color="red"
            style={{ marginInlineEnd: 0 }}
            data-testid="override-locked"
          >
            {override.until
              ? t('tiers.override.lockedUntil', { until: override.until })
              : t('tiers.override.locked')}
          </Tag>
        )}
        <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220 }}>
          {override.reason}
        </Typography.Text>
      </Flex>
    </Tooltip>
  );
}

/** The customers of a scheme with their tier, filtered by tier, a page at a time (keyset). */
export function SchemeCustomersTab({ schemeId, tiers, refreshKey }: Props) {
  const { t, pick } = useT();
  const notify = useNotify();
  const [tier, setTier] = useState<string | undefined>(undefined);
  const [limit, setLimit] = useState<number>(DEFAULT_PAGE_SIZE);
  const [cursors, setCursors] = useState<string[]>([]);
  const [items, setItems] = useState<Assignment[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const cursor = cursors.at(-1);

  const load = useCallback(
    async (signal: AbortSignal) => {
      setLoading(true);
      try {
        const page = await tiersApi.listAssignments(schemeId, { tier, cursor, limit }, signal);
        setItems(page.items);
        setNextCursor(page.nextCursor);
      } catch (cause) {
        if (!signal.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal.aborted) setLoading(false);
      }
    },
    [schemeId, tier, cursor, limit, notify],
  );
  useEffect(() => {
    void refreshKey;
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, refreshKey]);

  const columns: TableColumnsType<Assignment> = [
    {
      key: 'customer',
      title: t('field.code'),
      render: (_, row) => (
        <Link to={`/customers/${row.customerId}`} data-testid={`assignment-link-${row.customer}`}>
          {row.customer}
        </Link>
      ),
    },
    { key: 'name', title: t('field.name'), dataIndex: 'name' },
    {
      key: 'tier',
      title: t('tiers.tier'),
      render: (_, row) => <TierTag tiers={tiers} tierKey={row.tier} />,
    },
    { key: 'since', title: t('tiers.since'), dataIndex: 'since' },
    { key: 'version', title: t('tiers.schemeVersion'), render: (_, row) => `v${row.schemeVersion}` },
    {
      key: 'override',
      title: t('tiers.override.column'),
      render: (_, row) => <OverrideInfo override={row.override} />,
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t('tiers.tier')}</Typography.Text>
        <Select
          allowClear
          value={tier}
          onChange={(value: string | undefined) => {
            setTier(value);
            setCursors([]);
          }}
          placeholder={t('tiers.customers.allTiers')}
          options={byRankDesc(tiers).map((item) => ({
            value: item.key,
            label: tierName(tiers, item.key, pick),
          }))}
          style={{ minWidth: 180 }}
          data-testid="assignments-tier-filter"
        />
      </Flex>
      <Table<Assignment>
        rowKey="customerId"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tiers.customers.empty') }}
        data-testid="assignments-table"
      />
      <CursorPager
        page={cursors.length + 1}
        total={undefined}
        limit={limit}
        hasNext={nextCursor !== null}
        loading={loading}
        onPrev={() => setCursors((list) => list.slice(0, -1))}
        onNext={() => {
          if (nextCursor) setCursors((list) => [...list, nextCursor]);
        }}
        onLimitChange={(size) => {
          setLimit(size);
          setCursors([]);
        }}
      />
    </Flex>
  );
}
