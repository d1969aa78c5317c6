import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  AutoComplete,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type Query } from '../api';
import { DATE_FORMAT, fromDay, toDay } from '../format';
import { type MessageKey, useT } from '../i18n';
import { useNotify } from '../notify';
import type { AuditEntry, AuditVerification } from '../types';

const PAGE_SIZE = 50;

/** Common prefixes offered while typing; any prefix works. */
const ACTION_PREFIXES = [
  'auth.',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'customer.',
  'contact.',
  'transaction.',
  'user.',
  'team.',
  'token.',
];

const ACTOR_TYPES = new Set(['user', 'token', 'cli', 'system']);

interface Filters {
  action: string;
  actor: string;
  customerId: string;
  from: string;
  to: string;
}

interface FilterForm {
  action?: string;
  actor?: string;
  customerId?: number | null;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

/** The filters live in the URL, so a customer page can link to its own trail. */
function readFilters(sp: URLSearchParams): Filters {
  const date = (key: string) => {
    const value = sp.get(key) ?? '';
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '';
  };
  const customerId = sp.get('customerId') ?? '';
  return {
    action: sp.get('action') ?? '',
    actor: sp.get('actor') ?? '',
    customerId: /^[1-9]\d*$/.test(customerId) ? customerId : '',
    from: date('from'),
    to: date('to'),
  };
}

function toForm(filters: Filters): FilterForm {
  // Empty values rather than undefined: setFieldsValue must clear what a reset removed.
  return {
    action: filters.action,
    actor: filters.actor,
    customerId: filters.customerId ? Number(filters.customerId) : null,
    dates: filters.from || filters.to ? [toDay(filters.from), toDay(filters.to)] : null,
  };
}

function fromForm(values: FilterForm): URLSearchParams {
  const sp = new URLSearchParams();
  if (values.action?.trim()) sp.set('action', values.action.trim());
  if (values.actor?.trim()) sp.set('actor', values.actor.trim());
  if (values.customerId) sp.set('customerId', String(values.customerId));
  const [from, to] = values.dates ?? [null, null];
  if (from) sp.set('from', fromDay(from) ?? '');
  if (to) sp.set('to', fromDay(to) ?? '');
  return sp;
}

/** Details as one line of JSON; an empty object says nothing. */
function compactJson(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return '';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

interface Loaded {
  items: AuditEntry[];
  nextBeforeId: number | null;
}

export function AuditPage() {
  const { t } = useT();
  const notify = useNotify();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = useMemo(() => readFilters(searchParams), [searchParams]);
  const [form] = Form.useForm<FilterForm>();
  const [data, setData] = useState<Loaded>({ items: [], nextBeforeId: null });
  const [loading, setLoading] = useState(true);
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<AuditVerification | null>(null);

  useEffect(() => {
    form.setFieldsValue(toForm(filters));
  }, [filters, form]);

  /** The first page for the filters (beforeId null) or the page after `beforeId`. */
  const load = useCallback(
    async (beforeId: number | null, signal?: AbortSignal) => {
      setLoading(true);
      const query: Query = { ...filters, beforeId, limit: PAGE_SIZE };
      try {
        const page = await api.listAudit(query, signal);
        setData((prev) => ({
          items: beforeId ? [...prev.items, ...page.items] : page.items,
          nextBeforeId: page.nextBeforeId,
        }));
      } catch (cause) {
        if (!signal?.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [filters, notify],
  );

  useEffect(() => {
    const controller = new AbortController();
    setData({ items: [], nextBeforeId: null });
    void load(null, controller.signal);
    return () => controller.abort();
  }, [load]);

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await api.verifyAudit());
    } catch (cause) {
      notify.error(cause);
    } finally {
      setVerifying(false);
    }
  };

  const columns: TableColumnsType<AuditEntry> = [
    { key: 'id', dataIndex: 'id', title: 'ID', width: 80 },
    {
      key: 'at',
      title: t('audit.time'),
      width: 170,
      render: (_, row) => {
        const at = dayjs(row.at);
        return at.isValid() ? at.format('YYYY-MM-DD HH:mm:ss') : row.at;
      },
    },
    {
      key: 'actor',
      title: t('audit.actor'),
      render: (_, row) => (
        <Flex gap={4} align="center" wrap={false}>
          {ACTOR_TYPES.has(row.actorType) && (
            <Tag style={{ marginInlineEnd: 0 }}>{t(`actorType.${row.actorType}` as MessageKey)}</Tag>
          )}
          <span>{row.actor}</span>
        </Flex>
      ),
    },
    {
      key: 'action',
      title: t('audit.action'),
      render: (_, row) => <Typography.Text code>{row.action}</Typography.Text>,
    },
    {
      key: 'entity',
      title: t('audit.entity'),
      render: (_, row) =>
        row.entityType ? `${row.entityType}${row.entityId === null ? '' : ` #${row.entityId}`}` : '—',
    },
    {
      key: 'customer',
      title: t('audit.customer'),
      render: (_, row) =>
        row.customerId === null ? (
          '—'
        ) : (
          <Link to={`/customers/${row.customerId}`} data-testid="audit-customer-link">
            #{row.customerId}
          </Link>
        ),
    },
    {
      key: 'details',
      title: t('audit.details'),
      render: (_, row) => {
        const json = compactJson(row.details);
        if (!json) return '—';
        return (
          <Tooltip title={<span style={{ wordBreak: 'break-all' }}>{json}</span>}>
            <Typography.Text
              code
              style={{ display: 'inline-block', maxWidth: 360, fontSize: 12 }}
              ellipsis
              data-testid="audit-details"
            >
              {json}
            </Typography.Text>
          </Tooltip>
        );
      },
    },
  ];

  const verificationAlert = verification && (
    <Alert
      data-testid="audit-verify-result"
      data-ok={String(verification.ok)}
      type={verification.ok ? 'success' : 'error'}
      showIcon
      closable={{ onClose: () => setVerification(null) }}
      title={
        verification.ok
          ? t('audit.verifyOk', { entries: verification.entries })
          : verification.firstBadId === null
            ? t('audit.verifyBadNoId')
            : t('audit.verifyBad', { id: verification.firstBadId })
      }
      description={verification.ok ? undefined : (verification.problem ?? undefined)}
    />
  );

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('audit.title')}
        </Typography.Title>
        <Button
          icon={<SafetyCertificateOutlined />}
          loading={verifying}
          onClick={verify}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </Button>
      </Flex>
      {verificationAlert}
      <Form<FilterForm>
        form={form}
        layout="inline"
        initialValues={toForm(filters)}
        onFinish={(values) => setSearchParams(fromForm(values))}
        style={{ rowGap: 8 }}
        data-testid="audit-filters"
      >
        <Form.Item name="action">
          <AutoComplete
            options={ACTION_PREFIXES.map((value) => ({ value }))}
            showSearch={{ filterOption: (input, option) => String(option?.value ?? '').startsWith(input) }}
            style={{ width: 220 }}
          >
            <Input
              placeholder={t('audit.actionHint')}
              aria-label={t('audit.action')}
              allowClear
              data-testid="audit-filter-action"
            />
          </AutoComplete>
        </Form.Item>
        <Form.Item name="actor">
          <Input
            placeholder={t('audit.actor')}
            aria-label={t('audit.actor')}
            allowClear
            style={{ width: 160 }}
            data-testid="audit-filter-actor"
          />
        </Form.Item>
        <Form.Item name="customerId">
          <InputNumber<number>
            placeholder={t('audit.customerId')}
            aria-label={t('audit.customerId')}
            min={1}
            precision={0}
            style={{ width: 130 }}
            data-testid="audit-filter-customer"
          />
        </Form.Item>
        <Form.Item name="dates">
          <DatePicker.RangePicker
            format={DATE_FORMAT}
            allowEmpty={[true, true]}
            data-testid="audit-filter-dates"
          />
        </Form.Item>
        <Form.Item>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
              {t('common.search')}
            </Button>
            <Button onClick={() => setSearchParams(new URLSearchParams())} data-testid="audit-reset">
              {t('common.reset')}
            </Button>
          </Flex>
        </Form.Item>
      </Form>
      <div>
        <Table<AuditEntry>
          data-testid="audit-table"
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={data.items}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('audit.empty') }}
        />
        {data.items.length > 0 && (
          <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">
              {t('audit.shown', { shown: data.items.length })}
            </Typography.Text>
            {data.nextBeforeId !== null && (
              <Button onClick={() => void load(data.nextBeforeId)} loading={loading} data-testid="audit-more">
                {t('common.loadMore')}
              </Button>
            )}
          </Flex>
        )}
      </div>
    </Flex>
  );
}
