import { AppstoreAddOutlined, NotificationOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Space, Switch, Table, type TableColumnsType, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { type SchemeSummary, tiersApi } from '../api-tiers';
import { PresetModal } from '../components/PresetModal';
import { formatCount, orDash } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { useCan } from '../session';
import { byRankDesc, TierTag } from '../tier-format';

/** The tier schemes: what they are, how many customers they place, and whether reviews run on schedule. */
export function TiersPage() {
  const { t, pick } = useT();
  const can = useCan();
  const mayManage = can('tiers.manage');
  const notify = useNotify();
  const navigate = useNavigate();
  const [schemes, setSchemes] = useState<SchemeSummary[]>([]);
  const [loading, setLoading] = useState(true);
  const [switching, setSwitching] = useState<string | null>(null);
  const [choosingPreset, setChoosingPreset] = useState(false);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        setSchemes((await tiersApi.listSchemes(signal)).items);
      } catch (cause) {
        if (!signal?.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [notify],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const setActive = async (scheme: SchemeSummary, active: boolean) => {
    setSwitching(scheme.id);
    try {
      await tiersApi.setActive(scheme.id, active);
      setSchemes((list) => list.map((item) => (item.id === scheme.id ? { ...item, active } : item)));
    } catch (cause) {
      notify.error(cause);
    } finally {
      setSwitching(null);
    }
  };

  const columns: TableColumnsType<SchemeSummary> = [
    {
      key: 'name',
      title: t('tiers.scheme.name'),
      render: (_, row) => (
        <Flex vertical>
          <Link to={`/tiers/${encodeURIComponent(row.id)}`} data-testid={`scheme-link-${row.id}`}>
            {pick(row.name.zh, row.name.en)}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.id} · v{row.version}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'cadence',
      title: t('tiers.scheme.cadence'),
      render: (_, row) => t(`tiers.cadence.${row.cadence}`),
    },
    {
      key: 'tiers',
      title: t('tiers.scheme.tiers'),
      render: (_, row) => (
        <Tooltip
          title={
            <Flex gap={4} wrap>
              {byRankDesc(row.tiers).map((tier) => (
                <TierTag key={tier.key} tiers={row.tiers} tierKey={tier.key} />
              ))}
            </Flex>
          }
        >
          <span>{row.tiers.length}</span>
        </Tooltip>
      ),
    },
    {
      key: 'assigned',
      title: t('tiers.scheme.assigned'),
      align: 'right',
      render: (_, row) => formatCount(row.assigned),
    },
    { key: 'lastReview', title: t('tiers.scheme.lastReview'), render: (_, row) => orDash(row.lastReviewOn) },
    {
      key: 'active',
      title: (
        <Tooltip title={t('tiers.scheme.activeHint')}>
          <span>{t('tiers.scheme.active')}</span>
        </Tooltip>
      ),
      render: (_, row) => (
        <Switch
          size="small"
          checked={row.active}
          disabled={!mayManage}
          loading={switching === row.id}
          onChange={(checked) => setActive(row, checked)}
          data-testid={`scheme-active-${row.id}`}
        />
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('tiers.title')}
        </Typography.Title>
        {mayManage && (
          <Space wrap>
            <Button
              icon={<NotificationOutlined />}
              onClick={() => navigate('/tiers/notices')}
              data-testid="tier-notices-open"
            >
              {t('tiers.notices.title')}
            </Button>
            <Button
              icon={<AppstoreAddOutlined />}
              onClick={() => setChoosingPreset(true)}
              data-testid="scheme-from-preset"
            >
              {t('tiers.list.fromPreset')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/tiers/new')}
              data-testid="scheme-new"
            >
              {t('tiers.list.new')}
            </Button>
          </Space>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('tiers.list.intro')}
      </Typography.Paragraph>
      <Table<SchemeSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={schemes}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t(mayManage ? 'tiers.list.emptyManage' : 'tiers.list.empty') }}
        data-testid="schemes-table"
      />
      <PresetModal
        open={choosingPreset}
        onClose={() => setChoosingPreset(false)}
        onCreated={(id) => {
          setChoosingPreset(false);
          navigate(`/tiers/${encodeURIComponent(id)}`);
        }}
      />
    </Flex>
  );
}
