import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tooltip,
  Typography,
} from 'antd';
import { type ReactNode, useMemo, useRef } from 'react';
import { CADENCES, MEASURES, type Measure, type MetricWindow, type WindowType } from '../api-tiers';
import { useT } from '../i18n';
import { useCustomFields } from '../meta';
import {
  type Draft,
  type DraftMetric,
  type DraftRule,
  type DraftText,
  type DraftTier,
  defaultWindow,
  isAggregate,
  renameMetric,
  renameTier,
  uid,
} from '../tier-draft';
import { ConditionEditor } from './ConditionEditor';
import {
  BlockErrors,
  EditorContext,
  type EditorEnv,
  Field,
  type MetricKind,
  RULE_FIELDS,
} from './scheme-editor-env';

interface Props {
  draft: Draft;
  onChange: (next: Draft) => void;
  errors: ReadonlyMap<string, string[]>;
  /** A new scheme: its id can still be chosen. */
  isNew?: boolean;
  readOnly?: boolean;
}

/**
 * The whole scheme as a form — tiers, metrics, rules with their conditions, and review options —
 * so that nobody has to write JSON. Changes go straight to the draft; saving is the caller's.
 */
export function SchemeEditor({ draft, onChange, errors, isNew, readOnly }: Props) {
  const customFields = useCustomFields();
  const env = useMemo<EditorEnv>(() => {
    const customKinds: EditorEnv['customKinds'] = {};
    for (const field of customFields) {
      customKinds[field.key] =
        field.type === 'number'
          ? 'number'
          : field.type === 'text' || field.type === 'single_select' || field.type === 'boolean'
            ? 'text'
            : 'other';
    }
    const kinds = new Map<string, MetricKind>();
    for (const metric of draft.metrics) {
      let kind: MetricKind = 'number';
      if (metric.window?.type === 'monthSeries' && isAggregate(metric.measure)) kind = 'series';
      else if (metric.measure === 'field') {
        const field = metric.field;
        if (field.startsWith('custom.')) kind = customKinds[field.slice(7)] === 'number' ? 'number' : 'text';
        else kind = RULE_FIELDS[field] ?? 'number';
      }
      kinds.set(metric.name.trim(), kind);
    }
    return { draft, errors, metricKind: (name) => kinds.get(name), customKinds };
  }, [draft, errors, customFields]);

  return (
    <EditorContext.Provider value={env}>
      <Form layout="vertical" component={false} disabled={readOnly}>
        <Flex vertical gap={16}>
          <BasicsSection draft={draft} onChange={onChange} isNew={isNew} />
          <TiersSection draft={draft} onChange={onChange} />
          <MetricsSection draft={draft} onChange={onChange} />
          <RulesSection draft={draft} onChange={onChange} />
          <OptionsSection draft={draft} onChange={onChange} />
        </Flex>
      </Form>
    </EditorContext.Provider>
  );
}

interface SectionProps {
  draft: Draft;
  onChange: (next: Draft) => void;
}

/** Two inputs side by side for a `{zh, en}` text. */
function TextPair({
  path,
  value,
  onChange,
  label,
  extra,
  area,
  testId,
}: {
  path: string;
  value: DraftText;
  onChange: (next: DraftText) => void;
  label?: string;
  extra?: ReactNode;
  area?: boolean;
  testId?: string;
}) {
  const { t } = useT();
  const inLang = (text: string, lang: 'zh' | 'en') =>
    t('tiers.editor.inLang', { label: text, lang: t(lang === 'zh' ? 'tiers.editor.zh' : 'tiers.editor.en') });
  const input = (lang: 'zh' | 'en') =>
    area ? (
      <Input.TextArea
        value={value[lang]}
        onChange={(event) => onChange({ ...value, [lang]: event.target.value })}
        autoSize={{ minRows: 1, maxRows: 4 }}
        placeholder={t(lang === 'zh' ? 'tiers.editor.zh' : 'tiers.editor.en')}
        data-testid={testId ? `${testId}-${lang}` : undefined}
      />
    ) : (
      <Input
        value={value[lang]}
        onChange={(event) => onChange({ ...value, [lang]: event.target.value })}
        placeholder={t(lang === 'zh' ? 'tiers.editor.zh' : 'tiers.editor.en')}
        data-testid={testId ? `${testId}-${lang}` : undefined}
      />
    );
  return (
    <Row gutter={8}>
      <Col xs={24} md={12}>
        <Field path={`${path}.zh`} label={label && inLang(label, 'zh')} extra={extra}>
          {input('zh')}
        </Field>
      </Col>
      <Col xs={24} md={12}>
        <Field path={`${path}.en`} label={label && inLang(label, 'en')}>
          {input('en')}
        </Field>
      </Col>
    </Row>
  );
}

function BasicsSection({ draft, onChange, isNew }: SectionProps & { isNew?: boolean }) {
  const { t } = useT();
  return (
    <Card size="small" title={t('tiers.editor.basics')} data-testid="editor-basics">
      <Field path="id" label={t('tiers.scheme.id')} extra={isNew ? t('tiers.editor.idHint') : undefined}>
        <Input
          value={draft.id}
          disabled={!isNew}
          onChange={(event) => onChange({ ...draft, id: event.target.value })}
          maxLength={63}
          style={{ maxWidth: 320 }}
          data-testid="editor-id"
        />
      </Field>
      <TextPair
        path="name"
        label={t('tiers.scheme.name')}
        value={draft.name}
        onChange={(name) => onChange({ ...draft, name })}
        testId="editor-name"
      />
      <TextPair
        path="description"
        label={t('tiers.scheme.description')}
        value={draft.description}
        onChange={(description) => onChange({ ...draft, description })}
        area
        testId="editor-description"
      />
    </Card>
  );
}

/** Keys are renamed on blur, so rules that point at the old key follow without catching half-typed ones. */
function useRenameOnBlur(apply: (from: string, to: string) => void) {
  const before = useRef<string | null>(null);
  return {
    onFocus: (current: string) => {
      before.current = current;
    },
    onBlur: (current: string) => {
      const from = before.current;
      before.current = null;
      if (from !== null && from.trim() !== '' && current.trim() !== '' && from.trim() !== current.trim())
        apply(from.trim(), current.trim());
    },
  };
}

function TiersSection({ draft, onChange }: SectionProps) {
  const { t } = useT();
  const inLang = (label: string, lang: 'zh' | 'en') =>
    t('tiers.editor.inLang', { label, lang: t(lang === 'zh' ? 'tiers.editor.zh' : 'tiers.editor.en') });
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const rename = useRenameOnBlur((from, to) => {
    const current = draftRef.current;
    // Another tier still carries the old key: leave the references to it.
    if (current.tiers.some((tier) => tier.key.trim() === from)) return;
    onChange(renameTier(current, from, to));
  });
  const setTier = (index: number, patch: Partial<DraftTier>) =>
    onChange({ ...draft, tiers: draft.tiers.map((tier, i) => (i === index ? { ...tier, ...patch } : tier)) });
  const add = () => {
    const rank = Math.max(0, ...draft.tiers.map((tier) => tier.rank ?? 0)) + 1;
    const taken = new Set(draft.tiers.map((tier) => tier.key));
    let n = draft.tiers.length + 1;
    while (taken.has(`tier${n}`)) n += 1;
    onChange({
      ...draft,
      tiers: [
        ...draft.tiers,
        { uid: uid(), key: `tier${n}`, name: { zh: '', en: '' }, rank, benefits: { zh: '', en: '' } },
      ],
    });
  };
  const columns: TableColumnsType<DraftTier> = [
    {
      key: 'key',
      title: t('tiers.editor.tierKey'),
      width: 130,
      render: (_, tier, i) => (
        <Field path={`tiers.${i}.key`} style={{ marginBottom: 0 }}>
          <Input
            value={tier.key}
            onChange={(event) => setTier(i, { key: event.target.value })}
            onFocus={() => rename.onFocus(tier.key)}
            onBlur={(event) => rename.onBlur(event.target.value)}
            data-testid={`tier-key-${i}`}
          />
        </Field>
      ),
    },
    {
      key: 'nameZh',
      title: inLang(t('tiers.editor.tierName'), 'zh'),
      render: (_, tier, i) => (
        <Field path={`tiers.${i}.name.zh`} style={{ marginBottom: 0 }}>
          <Input
            value={tier.name.zh}
            onChange={(event) => setTier(i, { name: { ...tier.name, zh: event.target.value } })}
            data-testid={`tier-name-zh-${i}`}
          />
        </Field>
      ),
    },
    {
      key: 'nameEn',
      title: inLang(t('tiers.editor.tierName'), 'en'),
      render: (_, tier, i) => (
        <Field path={`tiers.${i}.name.en`} style={{ marginBottom: 0 }}>
          <Input
            value={tier.name.en}
            onChange={(event) => setTier(i, { name: { ...tier.name, en: event.target.value } })}
            data-testid={`tier-name-en-${i}`}
          />
        </Field>
      ),
    },
    {
      key: 'rank',
      title: (
        <Tooltip title={t('tiers.editor.rankHint')}>
          <span>{t('tiers.editor.rank')}</span>
        </Tooltip>
      ),
      width: 100,
      render: (_, tier, i) => (
        <Field path={`tiers.${i}.rank`} style={{ marginBottom: 0 }}>
          <InputNumber
            value={tier.rank}
            min={0}
            max={1000}
            precision={0}
            onChange={(rank) => setTier(i, { rank: rank ?? null })}
            style={{ width: '100%' }}
            data-testid={`tier-rank-${i}`}
          />
        </Field>
      ),
    },
    {
      key: 'benefitsZh',
      title: inLang(t('tiers.editor.benefits'), 'zh'),
      render: (_, tier, i) => (
        <Field path={`tiers.${i}.benefits.zh`} style={{ marginBottom: 0 }}>
          <Input
            value={tier.benefits.zh}
            onChange={(event) => setTier(i, { benefits: { ...tier.benefits, zh: event.target.value } })}
          />
        </Field>
      ),
    },
    {
      key: 'benefitsEn',
      title: inLang(t('tiers.editor.benefits'), 'en'),
      render: (_, tier, i) => (
        <Field path={`tiers.${i}.benefits.en`} style={{ marginBottom: 0 }}>
          <Input
            value={tier.benefits.en}
            onChange={(event) => setTier(i, { benefits: { ...tier.benefits, en: event.target.value } })}
          />
        </Field>
      ),
    },
    {
      key: 'remove',
      width: 48,
      render: (_, _tier, i) => (
        <Button
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label={t('common.delete')}
          onClick={() => onChange({ ...draft, tiers: draft.tiers.filter((_, j) => j !== i) })}
          data-testid={`tier-remove-${i}`}
        />
      ),
    },
  ];
  return (
    <Card
      size="small"
      title={t('tiers.editor.tiers')}
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={add} data-testid="tier-add">
          {t('tiers.editor.addTier')}
        </Button>
      }
      data-testid="editor-tiers"
    >
      <BlockErrors path="tiers" />
      <Table<DraftTier>
        rowKey="uid"
        size="small"
        columns={columns}
        dataSource={draft.tiers}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
    </Card>
  );
}

const WINDOW_TYPES: WindowType[] = ['lifetime', 'days', 'months', 'year', 'monthSeries'];

function WindowPicker({
  value,
  onChange,
  testId,
}: {
  value: MetricWindow | null;
  onChange: (next: MetricWindow) => void;
  testId: string;
}) {
  const { t } = useT();
  const type = value?.type;
  return (
    <Space.Compact>
      <Select<WindowType>
        value={type}
        onChange={(next) => onChange(defaultWindow(next))}
        options={WINDOW_TYPES.map((item) => ({ value: item, label: t(`tiers.window.${item}`) }))}
        placeholder={t('tiers.editor.window')}
        popupMatchSelectWidth={false}
        style={{ minWidth: 180 }}
        data-testid={`${testId}-type`}
      />
      {value?.type === 'days' && (
        <InputNumber
          min={1}
          max={3660}
          precision={0}
          value={value.days}
          onChange={(days) => onChange({ type: 'days', days: days ?? 1 })}
          suffix={t('tiers.window.daysUnit')}
          style={{ width: 120 }}
          data-testid={`${testId}-n`}
        />
      )}
      {(value?.type === 'months' || value?.type === 'monthSeries') && (
        <InputNumber
          min={1}
          max={value.type === 'months' ? 120 : 36}
          precision={0}
          value={value.months}
          onChange={(months) => onChange({ type: value.type, months: months ?? 1 })}
          suffix={t('tiers.window.monthsUnit')}
          style={{ width: 120 }}
          data-testid={`${testId}-n`}
        />
      )}
      {value?.type === 'year' && (
        <Select<number>
          value={value.offset}
          onChange={(offset) => onChange({ type: 'year', offset })}
          options={Array.from({ length: 11 }, (_, n) => ({
            value: -n,
            label: n === 0 ? t('tiers.window.thisYear') : t('tiers.window.yearAgo', { n }),
          }))}
          popupMatchSelectWidth={false}
          style={{ minWidth: 140 }}
          data-testid={`${testId}-offset`}
        />
      )}
    </Space.Compact>
  );
}

function MetricsSection({ draft, onChange }: SectionProps) {
  const { t, pick } = useT();
  const customFields = useCustomFields();
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const rename = useRenameOnBlur((from, to) => {
    const current = draftRef.current;
    if (current.metrics.some((metric) => metric.name.trim() === from)) return;
    onChange(renameMetric(current, from, to));
  });
  const setMetric = (index: number, patch: Partial<DraftMetric>) =>
    onChange({
      ...draft,
      metrics: draft.metrics.map((metric, i) => (i === index ? { ...metric, ...patch } : metric)),
    });
  const add = () => {
    const taken = new Set(draft.metrics.map((metric) => metric.name.trim()));
    let n = draft.metrics.length + 1;
    while (taken.has(`metric_${n}`)) n += 1;
    onChange({
      ...draft,
      metrics: [
        ...draft.metrics,
        {
          uid: uid(),
          name: `metric_${n}`,
          measure: 'spend',
          window: { type: 'days', days: 365 },
          field: '',
          of: '',
          label: { zh: '', en: '' },
        },
      ],
    });
  };
  const fieldOptions = [
    ...Object.keys(RULE_FIELDS).map((field) => ({
      value: field,
      label: t(`field.${field}` as Parameters<typeof t>[0]),
    })),
    ...customFields
      .filter((field) => field.type !== 'date' && field.type !== 'multi_select')
      .map((field) => ({ value: `custom.${field.key}`, label: pick(field.labelZh, field.labelEn) })),
  ];
  const measureChanged = (metric: DraftMetric, measure: Measure): Partial<DraftMetric> => ({
    measure,
    window: isAggregate(measure) ? (metric.window ?? { type: 'days', days: 365 }) : null,
  });

  return (
    <Card
      size="small"
      title={t('tiers.editor.metrics')}
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={add} data-testid="metric-add">
          {t('tiers.editor.addMetric')}
        </Button>
      }
      data-testid="editor-metrics"
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('tiers.editor.metricsHint')}</Typography.Text>
        <BlockErrors path="metrics" />
        {draft.metrics.map((metric, i) => {
          const path = `metrics.${metric.name.trim()}`;
          const others = draft.metrics.filter(
            (other) =>
              other.uid !== metric.uid && other.measure !== 'shareBefore' && other.measure !== 'field',
          );
          return (
            <Card
              key={metric.uid}
              size="small"
              type="inner"
              data-testid={`metric-${i}`}
              title={
                <Field path={path} style={{ marginBottom: 0, marginTop: 8 }}>
                  <Input
                    value={metric.name}
                    onChange={(event) => setMetric(i, { name: event.target.value })}
                    onFocus={() => rename.onFocus(metric.name)}
                    onBlur={(event) => rename.onBlur(event.target.value)}
                    prefix={
                      <Typography.Text type="secondary">{t('tiers.editor.metricName')}</Typography.Text>
                    }
                    style={{ maxWidth: 320 }}
                    data-testid={`metric-name-${i}`}
                  />
                </Field>
              }
              extra={
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('common.delete')}
                  onClick={() => onChange({ ...draft, metrics: draft.metrics.filter((_, j) => j !== i) })}
                  data-testid={`metric-remove-${i}`}
                />
              }
            >
              <Row gutter={8}>
                <Col xs={24} md={8}>
                  <Field path={`${path}.measure`} label={t('tiers.editor.measure')}>
                    <Select<Measure>
                      value={metric.measure}
                      onChange={(measure) => setMetric(i, measureChanged(metric, measure))}
                      options={MEASURES.map((measure) => ({
                        value: measure,
                        label: t(`tiers.measure.${measure}`),
                      }))}
                      popupMatchSelectWidth={false}
                      data-testid={`metric-measure-${i}`}
                    />
                  </Field>
                </Col>
                <Col xs={24} md={16}>
                  {isAggregate(metric.measure) && (
                    <Field path={`${path}.window`} label={t('tiers.editor.window')}>
                      <WindowPicker
                        value={metric.window}
                        onChange={(window) => setMetric(i, { window })}
                        testId={`metric-window-${i}`}
                      />
                    </Field>
                  )}
                  {metric.measure === 'field' && (
                    <Field path={`${path}.field`} label={t('tiers.editor.field')}>
                      <Select
                        value={metric.field || undefined}
                        onChange={(field: string) => setMetric(i, { field })}
                        options={fieldOptions}
                        showSearch={{ optionFilterProp: 'label' }}
                        popupMatchSelectWidth={false}
                        data-testid={`metric-field-${i}`}
                      />
                    </Field>
                  )}
                  {metric.measure === 'shareBefore' && (
                    <Field path={`${path}.of`} label={t('tiers.editor.of')} extra={t('tiers.editor.ofHint')}>
                      <Select
                        value={metric.of || undefined}
                        onChange={(of: string) => setMetric(i, { of })}
                        options={others.map((other) => ({
                          value: other.name.trim(),
                          label: other.name.trim(),
                        }))}
                        popupMatchSelectWidth={false}
                        data-testid={`metric-of-${i}`}
                      />
                    </Field>
                  )}
                  {(metric.measure === 'daysSinceLastPurchase' || metric.measure === 'tenureDays') && (
                    <Typography.Paragraph type="secondary" style={{ marginTop: 30 }}>
                      {t(`tiers.measureHint.${metric.measure}`)}
                    </Typography.Paragraph>
                  )}
                </Col>
              </Row>
              <TextPair
                path={`${path}.label`}
                label={t('tiers.editor.metricLabel')}
                value={metric.label}
                onChange={(label) => setMetric(i, { label })}
              />
            </Card>
          );
        })}
      </Flex>
    </Card>
  );
}

function RulesSection({ draft, onChange }: SectionProps) {
  const { t, pick } = useT();
  const setRule = (index: number, patch: Partial<DraftRule>) =>
    onChange({ ...draft, rules: draft.rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)) });
  const move = (index: number, by: -1 | 1) => {
    const rules = [...draft.rules];
    const [rule] = rules.splice(index, 1);
    if (!rule) return;
    rules.splice(index + by, 0, rule);
    onChange({ ...draft, rules });
  };
  const add = () => {
    const taken = new Set(draft.rules.map((rule) => rule.id));
    let n = draft.rules.length + 1;
    while (taken.has(`rule_${n}`)) n += 1;
    onChange({
      ...draft,
      rules: [
        ...draft.rules,
        {
          uid: uid(),
          id: `rule_${n}`,
          to: draft.tiers[0]?.key ?? 'hold',
          when: { uid: uid(), kind: 'always' },
          reason: { zh: '', en: '' },
        },
      ],
    });
  };
  const targets = [
    { value: 'hold', label: t('tiers.editor.hold') },
    ...draft.tiers.map((tier) => ({ value: tier.key, label: pick(tier.name.zh, tier.name.en) || tier.key })),
  ];
  const placeholders = draft.metrics
    .map((metric) => {
      const name = metric.name.trim();
      return metric.window?.type === 'monthSeries' ? `{${name}.1}` : `{${name}}`;
    })
    .join(' ');

  return (
    <Card
      size="small"
      title={t('tiers.editor.rules')}
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={add} data-testid="rule-add">
          {t('tiers.editor.addRule')}
        </Button>
      }
      data-testid="editor-rules"
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('tiers.editor.rulesHint')}</Typography.Text>
        <BlockErrors path="rules" />
        {draft.rules.map((rule, i) => (
          <Card
            key={rule.uid}
            size="small"
            type="inner"
            data-testid={`rule-${i}`}
            title={
              <Typography.Text>
                {t('tiers.editor.ruleNo', { n: i + 1 })}
                <Typography.Text type="secondary"> · {rule.id}</Typography.Text>
              </Typography.Text>
            }
            extra={
              <Space size={0}>
                <Tooltip title={t('tiers.editor.moveUp')}>
                  <Button
                    type="text"
                    icon={<ArrowUpOutlined />}
                    aria-label={t('tiers.editor.moveUp')}
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                    data-testid={`rule-up-${i}`}
                  />
                </Tooltip>
                <Tooltip title={t('tiers.editor.moveDown')}>
                  <Button
                    type="text"
                    icon={<ArrowDownOutlined />}
                    aria-label={t('tiers.editor.moveDown')}
                    disabled={i === draft.rules.length - 1}
                    onClick={() => move(i, 1)}
                    data-testid={`rule-down-${i}`}
                  />
                </Tooltip>
                <Tooltip title={t('common.delete')}>
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('common.delete')}
                    onClick={() => onChange({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })}
                    data-testid={`rule-remove-${i}`}
                  />
                </Tooltip>
              </Space>
            }
          >
            <BlockErrors path={`rules.${i}`} />
            <Row gutter={8}>
              <Col xs={24} md={12}>
                <Field path={`rules.${i}.id`} label={t('tiers.editor.ruleId')}>
                  <Input
                    value={rule.id}
                    onChange={(event) => setRule(i, { id: event.target.value })}
                    data-testid={`rule-id-${i}`}
                  />
                </Field>
              </Col>
              <Col xs={24} md={12}>
                <Field path={`rules.${i}.to`} label={t('tiers.editor.ruleTo')}>
                  <Select
                    value={rule.to}
                    onChange={(to: string) => setRule(i, { to })}
                    options={targets}
                    data-testid={`rule-to-${i}`}
                  />
                </Field>
              </Col>
            </Row>
            <Form.Item label={t('tiers.editor.when')} style={{ marginBottom: 12 }}>
              <ConditionEditor
                value={rule.when}
                path={`rules.${i}.when`}
                onChange={(when) => setRule(i, { when })}
                testId={`rule-${i}-when`}
              />
            </Form.Item>
            <TextPair
              path={`rules.${i}.reason`}
              label={t('tiers.editor.reason')}
              extra={placeholders ? t('tiers.editor.reasonHint', { placeholders }) : undefined}
              value={rule.reason}
              onChange={(reason) => setRule(i, { reason })}
              area
              testId={`rule-reason-${i}`}
            />
          </Card>
        ))}
      </Flex>
    </Card>
  );
}

function OptionsSection({ draft, onChange }: SectionProps) {
  const { t, pick } = useT();
  const tierOptions = draft.tiers.map((tier) => ({
    value: tier.key,
    label: pick(tier.name.zh, tier.name.en) || tier.key,
  }));
  const setNotices = (patch: Partial<Draft['notices']>) =>
    onChange({ ...draft, notices: { ...draft.notices, ...patch } });
  return (
    <Card size="small" title={t('tiers.editor.options')} data-testid="editor-options">
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Field path="otherwise" label={t('tiers.editor.otherwise')} extra={t('tiers.editor.otherwiseHint')}>
            <Select
              value={draft.otherwise}
              onChange={(otherwise: string) => onChange({ ...draft, otherwise })}
              options={[{ value: 'hold', label: t('tiers.editor.hold') }, ...tierOptions]}
              data-testid="editor-otherwise"
            />
          </Field>
        </Col>
        <Col xs={24} md={6}>
          <Field path="cadence" label={t('tiers.scheme.cadence')} extra={t('tiers.editor.cadenceHint')}>
            <Select
              value={draft.cadence}
              onChange={(cadence) => onChange({ ...draft, cadence })}
              options={CADENCES.map((cadence) => ({ value: cadence, label: t(`tiers.cadence.${cadence}`) }))}
              data-testid="editor-cadence"
            />
          </Field>
        </Col>
        <Col xs={24} md={6}>
          <Field path="maxStep" label={t('tiers.editor.maxStep')} extra={t('tiers.editor.maxStepHint')}>
            <InputNumber
              min={1}
              max={20}
              precision={0}
              value={draft.maxStep}
              onChange={(maxStep) => onChange({ ...draft, maxStep: maxStep ?? null })}
              placeholder={t('tiers.editor.noLimit')}
              style={{ width: '100%' }}
              data-testid="editor-max-step"
            />
          </Field>
        </Col>
        <Col xs={24} md={6}>
          <Field
            path="protectionDays"
            label={t('tiers.editor.protectionDays')}
            extra={t('tiers.editor.protectionDaysHint')}
          >
            <InputNumber
              min={1}
              max={3660}
              precision={0}
              value={draft.protectionDays}
              onChange={(days) => onChange({ ...draft, protectionDays: days ?? null })}
              placeholder={t('tiers.editor.none')}
              style={{ width: '100%' }}
              data-testid="editor-protection-days"
            />
          </Field>
        </Col>
      </Row>
      <Field path="notices" label={t('tiers.editor.notices')}>
        <Switch
          checked={draft.notices.enabled}
          onChange={(enabled) => setNotices({ enabled })}
          checkedChildren={t('tiers.editor.noticesOn')}
          unCheckedChildren={t('tiers.editor.noticesOff')}
          data-testid="editor-notices-enabled"
        />
      </Field>
      {draft.notices.enabled && (
        <>
          <Typography.Paragraph type="secondary">{t('tiers.editor.noticesHint')}</Typography.Paragraph>
          {(['promotion', 'demotion', 'assignment'] as const).map((kind) => (
            <TextPair
              key={kind}
              path={`notices.${kind}`}
              label={t(`tiers.editor.notice.${kind}`)}
              value={draft.notices[kind]}
              onChange={(value) => setNotices({ [kind]: value })}
              area
            />
          ))}
        </>
      )}
    </Card>
  );
}
