import { ExperimentOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Flex,
  Radio,
  Segmented,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { ApiError } from '../api';
import { type BacktestPeriod, type BacktestResult, type SchemeDefinition, tiersApi } from '../api-tiers';
import { DATE_FORMAT, formatCount } from '../format';
import { pickBilingual, useT } from '../i18n';
import { useNotify } from '../notify';
import { byRankDesc, type NamedTier, TierTag, tierHex, tierName } from '../tier-format';
import type { FieldError } from '../types';
import { type ChartOption, LazyEChart as EChart } from './LazyEChart';

interface Props {
  schemeId: string;
  /** The saved scheme's tiers. */
  tiers: readonly NamedTier[];
  /** The rule editor's unsaved edits, or null when there are none. */
  draft: SchemeDefinition | null;
}

/** Replays the saved scheme, or the unsaved edits, over past periods; writes nothing. */
export function SchemeBacktestTab({ schemeId, tiers, draft }: Props) {
  const { t, pick, lang } = useT();
  const notify = useNotify();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(12, 'month'), dayjs()]);
  const [every, setEvery] = useState<'month' | 'quarter'>('month');
  const [source, setSource] = useState<'saved' | 'draft'>('saved');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<BacktestResult | null>(null);
  const [resultTiers, setResultTiers] = useState<readonly NamedTier[]>(tiers);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const useDraft = source === 'draft' && draft !== null;

  const run = async () => {
    setRunning(true);
    setErrors([]);
    try {
      const [from, to] = range;
      const answer = await tiersApi.backtest({
        ...(useDraft ? { definition: draft } : { scheme: schemeId }),
        from: from.format(DATE_FORMAT),
        to: to.format(DATE_FORMAT),
        every,
      });
      setResult(answer);
      setResultTiers(useDraft ? draft.tiers : tiers);
    } catch (cause) {
      if (cause instanceof ApiError && cause.fieldErrors.length > 0) setErrors(cause.fieldErrors);
      else notify.error(cause);
    } finally {
      setRunning(false);
    }
  };

  const ordered = useMemo(() => byRankDesc(resultTiers), [resultTiers]);

  const option = useMemo<ChartOption | null>(() => {
    if (!result) return null;
    const dates = result.periods.map((period) => period.asOf);
    const lines: ChartOption['series'] = [
      {
        type: 'line',
        name: t('tiers.backtest.changes'),
        yAxisIndex: 1,
        color: '#fa8c16',
        data: result.periods.map((period) => period.changes),
      },
    ];
    if (result.draft && result.comparedWith) {
      lines.push({
        type: 'line',
        name: t('tiers.backtest.different'),
        yAxisIndex: 1,
        color: '#f5222d',
        lineStyle: { type: 'dashed' },
        data: result.periods.map((period) => period.differentFromCurrent ?? 0),
      });
    }
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 56, top: 48, bottom: 32 },
      xAxis: { type: 'category', data: dates },
      yAxis: [
        { type: 'value', name: t('tiers.dist.customers'), minInterval: 1 },
        { type: 'value', name: t('tiers.backtest.changes'), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        ...[...ordered].reverse().map((tier) => ({
          type: 'bar' as const,
          stack: 'tiers',
          name: tierName(resultTiers, tier.key, pick),
          color: tierHex(resultTiers, tier.key),
          data: result.periods.map((period) => period.counts[tier.key] ?? 0),
        })),
        ...(Array.isArray(lines) ? lines : []),
      ],
    };
  }, [result, ordered, resultTiers, pick, t]);

  const columns: TableColumnsType<BacktestPeriod> = [
    { key: 'asOf', title: t('tiers.review.asOf'), dataIndex: 'asOf', fixed: 'left' },
    ...ordered.map((tier) => ({
      key: `tier-${tier.key}`,
      title: <TierTag tiers={resultTiers} tierKey={tier.key} />,
      align: 'right' as const,
      render: (_: unknown, row: BacktestPeriod) => formatCount(row.counts[tier.key] ?? 0),
    })),
    {
      key: 'changes',
      title: t('tiers.backtest.changes'),
      align: 'right',
      render: (_, row) => formatCount(row.changes),
    },
  ];
  if (result?.draft && result.comparedWith) {
    columns.push({
      key: 'different',
      title: t('tiers.backtest.different'),
      align: 'right',
      render: (_, row) => (row.differentFromCurrent === null ? '—' : formatCount(row.differentFromCurrent)),
    });
  }

  return (
    <Flex vertical gap={16}>
      <Card size="small" title={t('tiers.backtest.title')}>
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">{t('tiers.backtest.hint')}</Typography.Text>
          <Flex gap={12} align="center" wrap>
            <DatePicker.RangePicker
              value={range}
              onChange={(value) => {
                if (value?.[0] && value[1]) setRange([value[0], value[1]]);
              }}
              allowClear={false}
              disabledDate={(day) => day.isAfter(dayjs(), 'day')}
              data-testid="backtest-range"
            />
            <Segmented<'month' | 'quarter'>
              value={every}
              onChange={setEvery}
              options={[
                { value: 'month', label: t('tiers.backtest.month') },
                { value: 'quarter', label: t('tiers.backtest.quarter') },
              ]}
              data-testid="backtest-every"
            />
            <Radio.Group
              value={useDraft ? 'draft' : 'saved'}
              onChange={(event) => setSource(event.target.value)}
              data-testid="backtest-source"
            >
              <Radio value="saved">{t('tiers.backtest.saved')}</Radio>
              <Radio value="draft" disabled={draft === null}>
                {t('tiers.backtest.draft')}
              </Radio>
            </Radio.Group>
            <Button
              type="primary"
              icon={<ExperimentOutlined />}
              loading={running}
              onClick={run}
              data-testid="backtest-run"
            >
              {t('tiers.backtest.run')}
            </Button>
          </Flex>
          {draft === null && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('tiers.backtest.noDraft')}
            </Typography.Text>
          )}
        </Flex>
      </Card>
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('tiers.backtest.draftInvalid')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="backtest-errors">
              {errors.map((error, i) => (
                <li key={`${error.field}-${i}`}>
                  <Typography.Text code>{error.field}</Typography.Text> {pickBilingual(error.message, lang)}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {result && option && (
        <Card
          size="small"
          title={result.draft ? t('tiers.backtest.resultDraft') : t('tiers.backtest.resultSaved')}
          data-testid="backtest-result"
        >
          <Flex vertical gap={12}>
            {result.differentFromAssigned !== null && (
              <Alert
                type="info"
                showIcon
                title={t('tiers.backtest.differentFromAssigned', {
                  n: formatCount(result.differentFromAssigned),
                })}
                data-testid="backtest-different-assigned"
              />
            )}
            {result.draft && result.comparedWith && (
              <Alert type="info" showIcon title={t('tiers.backtest.comparedWith')} />
            )}
            <EChart option={option} height={340} data-testid="backtest-chart" />
            <Table<BacktestPeriod>
              rowKey="asOf"
              size="small"
              columns={columns}
              dataSource={result.periods}
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="backtest-table"
            />
          </Flex>
        </Card>
      )}
    </Flex>
  );
}
