import { ArrowLeftOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Result, Skeleton, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api';
import { type SchemeVersion, type StoredScheme, tiersApi } from '../api-tiers';
import { SchemeBacktestTab } from '../components/SchemeBacktestTab';
import { SchemeCustomersTab } from '../components/SchemeCustomersTab';
import { SchemeDistributionTab } from '../components/SchemeDistributionTab';
import { SchemeReviewTab } from '../components/SchemeReviewTab';
import { SchemeRulesTab } from '../components/SchemeRulesTab';
import { formatDateTime } from '../format';
import { useT } from '../i18n';
import { useCan } from '../session';
import { type Draft, toDefinition, toDraft } from '../tier-draft';

const TABS = ['distribution', 'customers', 'review', 'rules', 'backtest'] as const;
type TabKey = (typeof TABS)[number];

/** One scheme: its distribution, customers, reviews, rules and backtests, one tab each (the tab is in the URL). */
export function SchemePage() {
  const { id = '' } = useParams();
  const { t, pick } = useT();
  const can = useCan();
  const mayManage = can('tiers.manage');
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get('tab') as TabKey | null;
  const tab: TabKey =
    requested && TABS.includes(requested) && (requested !== 'backtest' || mayManage)
      ? requested
      : 'distribution';
  const [stored, setStored] = useState<(StoredScheme & { versions: SchemeVersion[] }) | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshKey, setRefreshKey] = useState(0);

  const load = useCallback(
    (signal?: AbortSignal) => {
      tiersApi
        .getScheme(id, signal)
        .then((value) => {
          setStored(value);
          setDraft(toDraft(value.definition));
          setError(null);
        })
        .catch((cause: unknown) => {
          if (!signal?.aborted) setError(cause);
        });
    },
    [id],
  );
  useEffect(() => {
    const controller = new AbortController();
    setStored(null);
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const savedJson = useMemo(
    () => (stored ? JSON.stringify(toDefinition(toDraft(stored.definition))) : ''),
    [stored],
  );
  const draftDefinition = useMemo(() => (draft ? toDefinition(draft) : null), [draft]);
  const dirty = draftDefinition !== null && JSON.stringify(draftDefinition) !== savedJson;

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('tiers.scheme.notFound') : t('common.loadFailed')}
        subTitle={!missing && error instanceof Error ? error.message : undefined}
        extra={
          <Button type="primary" onClick={() => navigate('/tiers')}>
            {t('tiers.backToList')}
          </Button>
        }
      />
    );
  }
  if (!stored || !draft) return <Skeleton active paragraph={{ rows: 10 }} />;

  const definition = stored.definition;
  const tiers = definition.tiers;

  const items = [
    {
      key: 'distribution',
      label: t('tiers.tab.distribution'),
      children: <SchemeDistributionTab schemeId={stored.id} tiers={tiers} refreshKey={refreshKey} />,
    },
    {
      key: 'customers',
      label: t('tiers.tab.customers'),
      children: <SchemeCustomersTab schemeId={stored.id} tiers={tiers} refreshKey={refreshKey} />,
    },
    {
      key: 'review',
      label: t('tiers.tab.review'),
      children: (
        <SchemeReviewTab
          schemeId={stored.id}
          definition={definition}
          tiers={tiers}
          mayManage={mayManage}
          refreshKey={refreshKey}
          onApplied={() => setRefreshKey((n) => n + 1)}
        />
      ),
    },
    {
      key: 'rules',
      label: (
        <Badge dot={dirty} offset={[6, 0]}>
          {t('tiers.tab.rules')}
        </Badge>
      ),
      children: (
        <SchemeRulesTab
          draft={draft}
          onChange={setDraft}
          saved={definition}
          version={stored.version}
          dirty={dirty}
          readOnly={!mayManage}
          save={(next) => tiersApi.updateScheme(stored.id, next)}
          onSaved={(saved) => {
            setStored((previous) => (previous ? { ...saved, versions: previous.versions } : previous));
            setDraft(toDraft(saved.definition));
            // The list of versions (who saved which, when) comes from the server.
            load();
          }}
        />
      ),
    },
    ...(mayManage
      ? [
          {
            key: 'backtest',
            label: t('tiers.tab.backtest'),
            children: (
              <SchemeBacktestTab schemeId={stored.id} tiers={tiers} draft={dirty ? draftDefinition : null} />
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={8}>
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
        <Space wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="scheme-title">
            {pick(definition.name.zh, definition.name.en)}
          </Typography.Title>
          <Tag>{stored.id}</Tag>
          <Tooltip
            title={
              <Flex vertical>
                {stored.versions.map((version) => (
                  <span key={version.version}>
                    v{version.version} · {version.createdBy} · {formatDateTime(version.createdAt)}
                  </span>
                ))}
              </Flex>
            }
          >
            <Tag color="blue" data-testid="scheme-header-version">
              v{stored.version}
            </Tag>
          </Tooltip>
          <Tag>{t(`tiers.cadence.${definition.cadence ?? 'manual'}`)}</Tag>
          <Tag color={stored.active ? 'green' : 'default'}>
            {stored.active ? t('tiers.scheme.activeOn') : t('tiers.scheme.activeOff')}
          </Tag>
        </Space>
      </Flex>
      {definition.description && (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {pick(definition.description.zh, definition.description.en)}
        </Typography.Paragraph>
      )}
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearchParams({ tab: key }, { replace: true })}
        items={items}
        data-testid="scheme-tabs"
      />
    </Flex>
  );
}
