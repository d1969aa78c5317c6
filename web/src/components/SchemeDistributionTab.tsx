import { Card, Col, Empty, Flex, Row, Skeleton, Statistic, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { type Distribution, tiersApi } from '../api-tiers';
import { formatCount } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { type NamedTier, TierTag, tierHex, tierName } from '../tier-format';
import { type ChartOption, LazyEChart as EChart } from './LazyEChart';

interface Props {
  schemeId: string;
  tiers: readonly NamedTier[];
  /** Changes after a review was applied, so the counts load again. */
  refreshKey: number;
}

/** Customers per tier now (bars) and after each applied review (stacked areas). */
export function SchemeDistributionTab({ schemeId, tiers, refreshKey }: Props) {
  const { t, pick } = useT();
  const notify = useNotify();
  const [data, setData] = useState<Distribution | null>(null);

  useEffect(() => {
    void refreshKey;
    const controller = new AbortController();
    tiersApi
      .distribution(schemeId, controller.signal)
      .then(setData)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notify.error(cause, 'common.loadFailed');
      });
    return () => controller.abort();
  }, [schemeId, refreshKey, notify]);

  // Lowest tier first along the axis, as a ladder reads.
  const ordered = useMemo(() => [...tiers].sort((a, b) => a.rank - b.rank), [tiers]);
  const names = useMemo(() => ordered.map((tier) => tierName(tiers, tier.key, pick)), [ordered, tiers, pick]);

  const current = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: { type: 'category', data: names },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('tiers.dist.customers'),
          data: ordered.map((tier) => ({
            value: data.current[tier.key] ?? 0,
            itemStyle: { color: tierHex(tiers, tier.key) },
          })),
          label: { show: true, position: 'top' },
          barMaxWidth: 64,
        },
      ],
    };
  }, [data, ordered, names, t]);

  const overTime = useMemo<ChartOption | null>(() => {
    if (!data || data.overTime.length === 0) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', boundaryGap: false, data: data.overTime.map((point) => point.asOf) },
      yAxis: { type: 'value', minInterval: 1 },
      series: ordered.map((tier, i) => ({
        type: 'line',
        name: names[i],
        color: tierHex(tiers, tier.key),
        stack: 'total',
        areaStyle: {},
        symbolSize: 6,
        data: data.overTime.map((point) => point.counts[tier.key] ?? 0),
      })),
    };
  }, [data, ordered, names, tiers]);

  if (!data || !current) return <Skeleton active paragraph={{ rows: 6 }} />;
  const total = Object.values(data.current).reduce((sum, n) => sum + n, 0);

  return (
    <Flex vertical gap={16}>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('tiers.dist.total')} value={formatCount(total)} data-testid="dist-total" />
          </Card>
        </Col>
        {[...ordered].reverse().map((tier) => (
          <Col xs={12} md={6} key={tier.key}>
            <Card size="small">
              <Statistic
                title={<TierTag tiers={tiers} tierKey={tier.key} />}
                value={formatCount(data.current[tier.key] ?? 0)}
                data-testid={`dist-count-${tier.key}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('tiers.dist.current')}>
        {total === 0 ? (
          <Empty description={t('tiers.dist.noneYet')} />
        ) : (
          <EChart option={current} height={300} data-testid="dist-chart-current" />
        )}
      </Card>
      <Card size="small" title={t('tiers.dist.overTime')}>
        {overTime ? (
          <EChart option={overTime} height={320} data-testid="dist-chart-over-time" />
        ) : (
          <Empty description={t('tiers.dist.noReviews')} />
        )}
        <Typography.Text type="secondary">{t('tiers.dist.overTimeHint')}</Typography.Text>
      </Card>
    </Flex>
  );
}
