import { MergeCellsOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Drawer,
  Flex,
  Modal,
  Radio,
  Result,
  Skeleton,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import { type DuplicateGroup, duplicatesApi, type MergeResult } from '../api-imports';
import { FIELD_SPECS, fieldLabelKey, type LabelledField } from '../customer-fields';
import { formatCount, formatPhone } from '../format';
import { type MessageKey, useT } from '../i18n';
import {
  defaultSource,
  fieldValue,
  isEmptyValue,
  type MergeField,
  mergeFields,
  valuesDiffer,
} from '../merge-fields';
import { useCustomFields, useEnums } from '../meta';
import { useNotify } from '../notify';
import { testId } from '../test-id';
import type { Customer } from '../types';

/** The tags row's choice that keeps everyone's tags. */
const UNION = 'union';
type Choice = number | typeof UNION;

interface Props {
  group: DuplicateGroup | null;
  onClose: () => void;
  /** After a merge: the groups and the merge history change. */
  onMerged: () => void;
}

/** Merging one group: who stays, which value of each field it keeps, a preview, then the merge. */
export function MergeDrawer({ group, onClose, onMerged }: Props) {
  const { t } = useT();
  return (
    <Drawer
      open={group !== null}
      onClose={onClose}
      size="min(1100px, 100vw)"
      title={t('merge.title')}
      destroyOnHidden
      data-testid="merge-drawer"
    >
      {group && <MergeForm group={group} onClose={onClose} onMerged={onMerged} />}
    </Drawer>
  );
}

function MergeForm({
  group,
  onClose,
  onMerged,
}: {
  group: DuplicateGroup;
  onClose: () => void;
  onMerged: () => void;
}) {
  const { t } = useT();
  const notify = useNotify();
  const defs = useCustomFields();
  const label = useFieldLabel();
  const format = useValueFormatter();
  const [customers, setCustomers] = useState<Customer[] | null>(null);
  const [included, setIncluded] = useState<number[]>(() => group.members.map((member) => member.id));
  const [survivorId, setSurvivorId] = useState<number>(() => group.members[0]?.id ?? 0);
  const [picks, setPicks] = useState<Record<string, Choice>>({});
  const [onlyDiffering, setOnlyDiffering] = useState(true);
  const [busy, setBusy] = useState<'preview' | 'merge' | null>(null);
  const [preview, setPreview] = useState<MergeResult | null>(null);
  const [merged, setMerged] = useState<MergeResult | null>(null);

  // Loaded once per group: after the merge the others are gone, and a language switch must not ask again.
  const notifyRef = useRef(notify);
  notifyRef.current = notify;
  useEffect(() => {
    const controller = new AbortController();
    Promise.all(group.members.map((member) => api.getCustomer(member.id, controller.signal)))
      .then(setCustomers)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notifyRef.current.error(cause, 'common.loadFailed');
      });
    return () => controller.abort();
  }, [group]);

  const chosen = useMemo(
    () => (customers ?? []).filter((customer) => included.includes(customer.id)),
    [customers, included],
  );
  const survivor = chosen.find((customer) => customer.id === survivorId) ?? null;
  const others = chosen.filter((customer) => customer.id !== survivorId);
  const fields = useMemo(() => mergeFields(chosen, defs), [chosen, defs]);

  /** The customer whose value each field keeps: the user's pick while it is still possible, else the default. */
  const effective = (field: MergeField): Choice | null => {
    if (!survivor) return null;
    const pick = picks[field.key];
    if (pick === UNION && field.union) return UNION;
    if (typeof pick === 'number') {
      const source = chosen.find((customer) => customer.id === pick);
      if (source && !isEmptyValue(fieldValue(source, field.key))) return pick;
    }
    if (field.union) return UNION;
    return defaultSource(field.key, survivor, others);
  };

  const rows = fields.filter(
    (field) =>
      chosen.some((customer) => !isEmptyValue(fieldValue(customer, field.key))) &&
      (!onlyDiffering || valuesDiffer(field.key, chosen)),
  );

  const request = (dryRun: boolean) => {
    const take: Record<string, number> = {};
    for (const field of fields) {
      const choice = effective(field);
      if (typeof choice === 'number') take[field.key] = choice;
    }
    return duplicatesApi.merge({
      survivor: survivorId,
      others: others.map((customer) => customer.id),
      take,
      dryRun,
    });
  };

  const runPreview = async () => {
    setBusy('preview');
    try {
      setPreview(await request(true));
    } catch (cause) {
      notify.error(cause);
    } finally {
      setBusy(null);
    }
  };

  const runMerge = async () => {
    setBusy('merge');
    try {
      const result = await request(false);
      setPreview(null);
      setMerged(result);
      onMerged();
    } catch (cause) {
      notify.error(cause);
    } finally {
      setBusy(null);
    }
  };

  if (merged) {
    return (
      <Result
        status="success"
        title={t('merge.done', { id: merged.mergeId ?? '—' })}
        subTitle={t('merge.doneDetail', {
          survivor: merged.survivor.code,
          removed: merged.removed.map((item) => item.code).join(t('imports.listSeparator')),
        })}
        data-testid="merge-result"
        data-merge-id={merged.mergeId ?? ''}
        extra={
          <Space wrap>
            <Link to={`/customers/${merged.survivor.id}`} data-testid="merge-survivor-link">
              {t('merge.openSurvivor', { code: merged.survivor.code })}
            </Link>
            <Button type="primary" onClick={onClose} data-testid="merge-close">
              {t('merge.close')}
            </Button>
          </Space>
        }
      >
        <MergeSummary result={merged} />
      </Result>
    );
  }
  if (!customers) return <Skeleton active paragraph={{ rows: 10 }} />;

  const columns: TableColumnsType<MergeField> = [
    {
      key: 'field',
      title: t('merge.field'),
      fixed: 'left',
      width: 140,
      render: (_, field) => <Typography.Text strong>{label(field.key)}</Typography.Text>,
    },
    ...chosen.map((customer): TableColumnsType<MergeField>[number] => ({
      key: `c-${customer.id}`,
      title: (
        <Flex vertical>
          <span>
            {customer.code}
            {customer.id === survivorId && (
              <Tag color="green" style={{ marginInlineStart: 8 }}>
                {t('merge.survivorTag')}
              </Tag>
            )}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {customer.name}
          </Typography.Text>
        </Flex>
      ),
      render: (_, field) => {
        const value = fieldValue(customer, field.key);
        if (isEmptyValue(value)) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Radio
            checked={effective(field) === customer.id}
            onChange={() => setPicks((previous) => ({ ...previous, [field.key]: customer.id }))}
            data-testid={`merge-pick-${field.key}-${customer.id}`}
          >
            {format(field.key, value)}
          </Radio>
        );
      },
    })),
    {
      key: 'union',
      title: t('merge.combined'),
      render: (_, field) =>
        field.union ? (
          <Radio
            checked={effective(field) === UNION}
            onChange={() => setPicks((previous) => ({ ...previous, [field.key]: UNION }))}
            data-testid={`merge-pick-${field.key}-union`}
          >
            {t('merge.allTags')}
          </Radio>
        ) : null,
    },
  ];

  const canMerge = survivor !== null && others.length > 0;

  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('merge.intro')}
      </Typography.Paragraph>
      <Card size="small" title={t('merge.members')}>
        <Flex vertical gap={8}>
          {customers.map((customer) => (
            <Flex key={customer.id} gap={12} align="center" wrap>
              <Checkbox
                checked={included.includes(customer.id)}
                disabled={customer.id === survivorId}
                onChange={(event) =>
                  setIncluded((previous) =>
                    event.target.checked
                      ? [...previous, customer.id]
                      : previous.filter((id) => id !== customer.id),
                  )
                }
                data-testid={`merge-include-${customer.id}`}
              >
                {t('merge.include')}
              </Checkbox>
              <Radio
                checked={customer.id === survivorId}
                disabled={!included.includes(customer.id)}
                onChange={() => setSurvivorId(customer.id)}
                data-testid={`merge-survivor-${customer.id}`}
              >
                {t('merge.keep')}
              </Radio>
              <Link to={`/customers/${customer.id}`} target="_blank">
                {customer.code}
              </Link>
              <span>{customer.name}</span>
              <Typography.Text type="secondary">
                {t('merge.memberInfo', {
                  owner: customer.owner ?? t('imports.possible.noOwner'),
                  orders: formatCount(customer.orderCount),
                  created: customer.createdAt.slice(0, 10),
                })}
              </Typography.Text>
            </Flex>
          ))}
          <Typography.Text type="secondary">{t('merge.survivorHint')}</Typography.Text>
        </Flex>
      </Card>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('merge.fieldsHint')}</Typography.Text>
        <Space>
          <Switch
            checked={onlyDiffering}
            onChange={setOnlyDiffering}
            size="small"
            data-testid="merge-only-differing"
          />
          <span>{t('merge.onlyDiffering')}</span>
        </Space>
      </Flex>
      <Table<MergeField>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('merge.noDifferences') }}
        data-testid="merge-fields"
      />
      {!canMerge && <Alert type="warning" showIcon title={t('merge.needTwo')} />}
      <Space>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          type="primary"
          icon={<MergeCellsOutlined />}
          disabled={!canMerge}
          loading={busy === 'preview'}
          onClick={() => void runPreview()}
          data-testid="merge-preview"
        >
          {t('merge.previewButton')}
        </Button>
      </Space>
      <Modal
        open={preview !== null}
        title={t('merge.confirmTitle')}
        okText={t('merge.confirm')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, loading: busy === 'merge', ...testId('merge-confirm') }}
        onOk={() => void runMerge()}
        onCancel={() => setPreview(null)}
        width={640}
      >
        {preview && (
          <Flex vertical gap={12} data-testid="merge-preview-result">
            <Typography.Paragraph style={{ margin: 0 }}>
              {t('merge.confirmText', {
                survivor: `${preview.survivor.code} ${preview.survivor.name}`,
                removed: preview.removed.map((item) => item.code).join(t('imports.listSeparator')),
              })}
            </Typography.Paragraph>
            <MergeSummary result={preview} />
            <Typography.Text type="secondary">{t('merge.undoHint')}</Typography.Text>
          </Flex>
        )}
      </Modal>
    </Flex>
  );
}

/** What a merge changes on the survivor and which rows move to it. */
function MergeSummary({ result }: { result: MergeResult }) {
  const { t } = useT();
  const label = useFieldLabel();
  const tableLabel = useTableLabel();
  const moved = Object.entries(result.moved).filter(([, n]) => n > 0);
  const setAside = Object.entries(result.setAside).filter(([, n]) => n > 0);
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      items={[
        {
          key: 'fields',
          label: t('merge.changedFields'),
          children:
            result.fields.length === 0
              ? t('merge.none')
              : result.fields
                  .map((item) =>
                    item.from
                      ? t('merge.fieldFrom', { field: label(item.field), from: item.from })
                      : label(item.field),
                  )
                  .join(t('imports.listSeparator')),
        },
        {
          key: 'moved',
          label: t('merge.moved'),
          children:
            moved.length === 0
              ? t('merge.none')
              : moved
                  .map(([table, n]) => `${tableLabel(table)} ${formatCount(n)}`)
                  .join(t('imports.listSeparator')),
        },
        ...(setAside.length > 0
          ? [
              {
                key: 'setAside',
                label: t('merge.setAside'),
                children: setAside
                  .map(([table, n]) => `${tableLabel(table)} ${formatCount(n)}`)
                  .join(t('imports.listSeparator')),
              },
            ]
          : []),
      ]}
    />
  );
}

const TABLES = [
  'contacts',
  'transactions',
  'consents',
  'customer_collaborators',
  'ownership_transfers',
  'tier_assignments',
  'tier_history',
  'tier_notices',
  'import_updates',
] as const;

export function useTableLabel(): (table: string) => string {
  const { t } = useT();
  return (table) =>
    (TABLES as readonly string[]).includes(table) ? t(`merge.table.${table}` as MessageKey) : table;
}

/** Labels of merge fields: standard (`owner`, `ownerId`), custom (`custom.KEY`). */
export function useFieldLabel(): (key: string) => string {
  const { t, pick } = useT();
  const defs = useCustomFields();
  return (key) => {
    if (key.startsWith('custom.')) {
      const def = defs.find((item) => item.key === key.slice(7));
      return def ? pick(def.labelZh, def.labelEn) : key;
    }
    const name = key === 'ownerId' ? 'owner' : key;
    return FIELD_SPECS.some((spec) => spec.name === name) ? t(fieldLabelKey(name as LabelledField)) : key;
  };
}

/** A stored value as a person reads it: enumeration labels, yes/no, phone groups, lists. */
function useValueFormatter(): (key: string, value: unknown) => string {
  const { t, pick } = useT();
  const enums = useEnums();
  const defs = useCustomFields();
  return (key, value) => {
    if (key.startsWith('custom.')) {
      const def = defs.find((item) => item.key === key.slice(7));
      const label = (v: unknown) => {
        const option = def?.options?.find((o) => o.value === v);
        return option ? pick(option.labelZh, option.labelEn) : String(v);
      };
      if (Array.isArray(value)) return value.map(label).join(', ');
      if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
      return label(value);
    }
    const spec = FIELD_SPECS.find((item) => item.name === key);
    if (spec?.type.kind === 'enum') return enums.label(spec.type.enumName, String(value));
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (Array.isArray(value)) return value.join(', ');
    if (key === 'phone') return formatPhone(String(value));
    return String(value);
  };
}
