import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Input, InputNumber, Select, Space, Tooltip, theme } from 'antd';
import { COMPARISON_OPS, type ComparisonOp } from '../api-tiers';
import { ENUM_VALUES, type EnumName } from '../customer-fields';
import { useT } from '../i18n';
import { useEnums } from '../meta';
import { type ConditionKind, type DraftCondition, uid } from '../tier-draft';
import { BlockErrors, Field, useEditor } from './scheme-editor-env';

interface Props {
  value: DraftCondition;
  /** The server's path of this condition, e.g. `rules.0.when.all.1`. */
  path: string;
  onChange: (next: DraftCondition) => void;
  /** Offered inside a group: takes this condition out. */
  onRemove?: () => void;
  testId: string;
}

const KINDS: ConditionKind[] = ['all', 'any', 'not', 'compare', 'in', 'tier', 'noTier', 'always'];

function kindOf(condition: DraftCondition): ConditionKind {
  return condition.kind === 'tier' && condition.tiers === null ? 'noTier' : condition.kind;
}

/** all / any / not groups of comparisons, tier guards and "always", nested as deep as needed. */
export function ConditionEditor({ value, path, onChange, onRemove, testId }: Props) {
  const { t, pick } = useT();
  const { draft, metricKind } = useEditor();
  const { token } = theme.useToken();

  const firstMetric = (kinds: string[]) =>
    draft.metrics.find((metric) => kinds.includes(metricKind(metric.name.trim()) ?? ''))?.name.trim() ?? '';
  const newComparison = (): DraftCondition => ({
    uid: uid(),
    kind: 'compare',
    metric: firstMetric(['number', 'series']),
    op: '>=',
    value: '',
    series: 'each',
    months: 1,
  });

  const changeKind = (kind: ConditionKind) => {
    const leaf =
      value.kind !== 'all' && value.kind !== 'any' && value.kind !== 'not' && value.kind !== 'always';
    switch (kind) {
      case 'all':
      case 'any': {
        const items =
          value.kind === 'all' || value.kind === 'any' ? value.items : leaf ? [value] : [newComparison()];
        onChange({ uid: uid(), kind, items });
        return;
      }
      case 'not':
        onChange({ uid: uid(), kind: 'not', item: value.kind === 'always' ? newComparison() : value });
        return;
      case 'compare':
        onChange(newComparison());
        return;
      case 'in':
        onChange({ uid: uid(), kind: 'in', metric: firstMetric(['text']), values: [] });
        return;
      case 'tier':
        onChange({ uid: uid(), kind: 'tier', tiers: [] });
        return;
      case 'noTier':
        onChange({ uid: uid(), kind: 'tier', tiers: null });
        return;
      case 'always':
        onChange({ uid: uid(), kind: 'always' });
        return;
    }
  };

  const header = (
    <Flex gap={8} align="center" wrap>
      <Select<ConditionKind>
        value={kindOf(value)}
        onChange={changeKind}
        options={KINDS.map((kind) => ({ value: kind, label: t(`tiers.cond.kind.${kind}`) }))}
        style={{ width: 170, flex: 'none' }}
        popupMatchSelectWidth={false}
        data-testid={`${testId}-kind`}
      />
      {body(value)}
      {onRemove && (
        <Tooltip title={t('tiers.cond.remove')}>
          <Button
            type="text"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('tiers.cond.remove')}
            onClick={onRemove}
            data-testid={`${testId}-remove`}
          />
        </Tooltip>
      )}
    </Flex>
  );

  function body(condition: DraftCondition) {
    switch (condition.kind) {
      case 'compare':
        return <Comparison value={condition} path={path} onChange={onChange} testId={testId} />;
      case 'in':
        return <InList value={condition} path={path} onChange={onChange} testId={testId} />;
      case 'tier':
        return condition.tiers === null ? null : (
          <Field path={`${path}.tier`} style={{ marginBottom: 0, minWidth: 220 }}>
            <Select
              mode="multiple"
              value={condition.tiers}
              onChange={(tiers: string[]) => onChange({ ...condition, tiers })}
              options={draft.tiers.map((tier) => ({
                value: tier.key,
                label: pick(tier.name.zh, tier.name.en) || tier.key,
              }))}
              placeholder={t('tiers.cond.pickTiers')}
              data-testid={`${testId}-tiers`}
            />
          </Field>
        );
      default:
        return null;
    }
  }

  if (value.kind === 'all' || value.kind === 'any') {
    const group = value;
    const setItem = (i: number, next: DraftCondition) =>
      onChange({ ...group, items: group.items.map((item, j) => (j === i ? next : item)) });
    return (
      <Flex vertical gap={8}>
        {header}
        <Flex
          vertical
          gap={8}
          style={{ borderInlineStart: `3px solid ${token.colorPrimaryBorder}`, paddingInlineStart: 12 }}
        >
          {group.items.map((item, i) => (
            <ConditionEditor
              key={item.uid}
              value={item}
              path={`${path}.${group.kind}.${i}`}
              onChange={(next) => setItem(i, next)}
              onRemove={() => onChange({ ...group, items: group.items.filter((_, j) => j !== i) })}
              testId={`${testId}-${i}`}
            />
          ))}
          <BlockErrors path={`${path}.${group.kind}`} />
          <Space wrap>
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => onChange({ ...group, items: [...group.items, newComparison()] })}
              data-testid={`${testId}-add`}
            >
              {t('tiers.cond.add')}
            </Button>
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() =>
                onChange({
                  ...group,
                  items: [...group.items, { uid: uid(), kind: 'all', items: [newComparison()] }],
                })
              }
              data-testid={`${testId}-add-group`}
            >
              {t('tiers.cond.addGroup')}
            </Button>
          </Space>
        </Flex>
        <BlockErrors path={path} />
      </Flex>
    );
  }
  if (value.kind === 'not') {
    const negation = value;
    return (
      <Flex vertical gap={8}>
        {header}
        <div style={{ borderInlineStart: `3px solid ${token.colorErrorBorder}`, paddingInlineStart: 12 }}>
          <ConditionEditor
            value={negation.item}
            path={`${path}.not`}
            onChange={(item) => onChange({ ...negation, item })}
            testId={`${testId}-not`}
          />
        </div>
        <BlockErrors path={path} />
      </Flex>
    );
  }
  return (
    <Flex vertical gap={4}>
      {header}
      <BlockErrors path={path} />
    </Flex>
  );
}

type Compare = Extract<DraftCondition, { kind: 'compare' }>;
type InCondition = Extract<DraftCondition, { kind: 'in' }>;

function useMetricOptions(kinds: string[]) {
  const { pick } = useT();
  const { draft, metricKind } = useEditor();
  return draft.metrics
    .filter((metric) => kinds.includes(metricKind(metric.name.trim()) ?? ''))
    .map((metric) => {
      const name = metric.name.trim();
      const label = pick(metric.label.zh, metric.label.en);
      return { value: name, label: label ? `${label} (${name})` : name };
    });
}

/** The enumeration behind a `field` metric, for picking values instead of typing them. */
function useValueOptions(metricName: string): { value: string; label: string }[] | undefined {
  const { t } = useT();
  const enums = useEnums();
  const { draft } = useEditor();
  const metric = draft.metrics.find((m) => m.name.trim() === metricName);
  if (metric?.measure !== 'field') return undefined;
  if (metric.field === 'vip')
    return [
      { value: 'true', label: t('common.yes') },
      { value: 'false', label: t('common.no') },
    ];
  if (metric.field in ENUM_VALUES) return enums.options(metric.field as EnumName);
  return undefined;
}

function Comparison({
  value,
  path,
  onChange,
  testId,
}: {
  value: Compare;
  path: string;
  onChange: (next: DraftCondition) => void;
  testId: string;
}) {
  const { t } = useT();
  const { metricKind, draft } = useEditor();
  const kind = metricKind(value.metric);
  const options = useMetricOptions(['number', 'series', 'text']);
  const valueOptions = useValueOptions(value.metric);
  const ops: readonly ComparisonOp[] = kind === 'text' ? ['=', '!='] : COMPARISON_OPS;
  const series = draft.metrics.find((m) => m.name.trim() === value.metric)?.window;
  const maxMonths = series?.type === 'monthSeries' ? series.months : undefined;
  return (
    <>
      <Field path={`${path}.metric`} style={{ marginBottom: 0, minWidth: 180 }}>
        <Select
          value={value.metric || undefined}
          onChange={(metric: string) => onChange({ ...value, metric })}
          options={options}
          placeholder={t('tiers.cond.metric')}
          popupMatchSelectWidth={false}
          data-testid={`${testId}-metric`}
        />
      </Field>
      {kind === 'series' && (
        <Space.Compact>
          <Select<'each' | 'period'>
            value={value.series}
            onChange={(mode) => onChange({ ...value, series: mode })}
            options={[
              { value: 'each', label: t('tiers.cond.each') },
              { value: 'period', label: t('tiers.cond.period') },
            ]}
            popupMatchSelectWidth={false}
            data-testid={`${testId}-series`}
          />
          <InputNumber
            min={1}
            max={maxMonths}
            precision={0}
            value={value.months}
            onChange={(months) => onChange({ ...value, months: months ?? null })}
            style={{ width: 72 }}
            data-testid={`${testId}-months`}
          />
        </Space.Compact>
      )}
      <Field path={`${path}.op`} style={{ marginBottom: 0, minWidth: 80 }}>
        <Select<ComparisonOp>
          value={value.op}
          onChange={(op) => onChange({ ...value, op })}
          options={ops.map((op) => ({ value: op, label: op, title: t(`tiers.op.${opKey(op)}`) }))}
          data-testid={`${testId}-op`}
        />
      </Field>
      <Field path={`${path}.value`} style={{ marginBottom: 0, minWidth: 140 }}>
        {valueOptions ? (
          <Select
            value={value.value || undefined}
            onChange={(next: string) => onChange({ ...value, value: next })}
            options={valueOptions}
            popupMatchSelectWidth={false}
            data-testid={`${testId}-value`}
          />
        ) : (
          <Input
            value={value.value}
            onChange={(event) => onChange({ ...value, value: event.target.value })}
            placeholder={kind === 'text' ? t('tiers.cond.text') : t('tiers.cond.number')}
            inputMode={kind === 'text' ? undefined : 'decimal'}
            style={{ width: 140 }}
            data-testid={`${testId}-value`}
          />
        )}
      </Field>
    </>
  );
}

function opKey(op: ComparisonOp): 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne' {
  switch (op) {
    case '>':
      return 'gt';
    case '>=':
      return 'ge';
    case '<':
      return 'lt';
    case '<=':
      return 'le';
    case '=':
      return 'eq';
    case '!=':
      return 'ne';
  }
}

function InList({
  value,
  path,
  onChange,
  testId,
}: {
  value: InCondition;
  path: string;
  onChange: (next: DraftCondition) => void;
  testId: string;
}) {
  const { t } = useT();
  const options = useMetricOptions(['text']);
  const valueOptions = useValueOptions(value.metric);
  return (
    <>
      <Field path={`${path}.metric`} style={{ marginBottom: 0, minWidth: 180 }}>
        <Select
          value={value.metric || undefined}
          onChange={(metric: string) => onChange({ ...value, metric })}
          options={options}
          placeholder={t('tiers.cond.metric')}
          notFoundContent={t('tiers.cond.noTextMetric')}
          popupMatchSelectWidth={false}
          data-testid={`${testId}-metric`}
        />
      </Field>
      <Field path={`${path}.in`} style={{ marginBottom: 0, minWidth: 220 }}>
        <Select
          mode="tags"
          value={value.values}
          onChange={(values: string[]) => onChange({ ...value, values })}
          options={valueOptions}
          placeholder={t('tiers.cond.values')}
          data-testid={`${testId}-values`}
        />
      </Field>
    </>
  );
}
