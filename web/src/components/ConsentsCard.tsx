import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Modal, Select, Table, type TableColumnsType, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { formatDateTime, orDash } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { useCan } from '../session';
import { testId } from '../test-id';
import { CONSENT_PURPOSES, type Consent, type ConsentInput } from '../types';

interface Props {
  customerId: number;
  /** The customer's version: an erasure withdraws every consent, so a new version reloads them. */
  version: number;
}

/** Consent records (PIPL): what the customer agreed to, how, and whether it was withdrawn. */
export function ConsentsCard({ customerId, version }: Props) {
  const { t } = useT();
  const mayManage = useCan()('consent.manage');
  const notify = useNotify();
  const [consents, setConsents] = useState<Consent[]>([]);
  const [loading, setLoading] = useState(true);
  const [adding, setAdding] = useState(false);
  const [saving, setSaving] = useState(false);
  const [withdrawing, setWithdrawing] = useState<number | null>(null);
  const [form] = Form.useForm<ConsentInput>();

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        setConsents((await api.listConsents(customerId, signal)).items);
      } catch (cause) {
        if (!signal?.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [customerId, notify],
  );
  useEffect(() => {
    void version;
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, version]);

  useEffect(() => {
    if (adding) form.resetFields();
  }, [adding, form]);

  const submit = async (values: ConsentInput) => {
    const scope = values.scope?.trim();
    const channel = values.channel?.trim();
    setSaving(true);
    try {
      await api.recordConsent(customerId, {
        purpose: values.purpose,
        ...(scope ? { scope } : {}),
        ...(channel ? { channel } : {}),
      });
      notify.success('common.saved');
      setAdding(false);
      void load();
    } catch (cause) {
      notify.error(cause);
    } finally {
      setSaving(false);
    }
  };

  const withdraw = async (consent: Consent) => {
    setWithdrawing(consent.id);
    try {
      await api.withdrawConsent(customerId, consent.id);
      notify.success('consents.withdrawDone');
      void load();
    } catch (cause) {
      notify.error(cause);
    } finally {
      setWithdrawing(null);
    }
  };

  const columns: TableColumnsType<Consent> = [
    { key: 'purpose', title: t('consents.purpose'), render: (_, row) => t(`purpose.${row.purpose}`) },
    {
      key: 'status',
      title: t('consents.status'),
      render: (_, row) => (
        <Tag
          color={row.withdrawnAt ? 'default' : 'success'}
          data-testid={`consent-status-${row.id}`}
          data-value={row.withdrawnAt ? 'withdrawn' : 'active'}
        >
          {row.withdrawnAt ? t('consents.withdrawn') : t('consents.active')}
        </Tag>
      ),
    },
    { key: 'scope', title: t('consents.scope'), render: (_, row) => orDash(row.scope) },
    { key: 'channel', title: t('consents.channel'), render: (_, row) => orDash(row.channel) },
    { key: 'grantedAt', title: t('consents.grantedAt'), render: (_, row) => formatDateTime(row.grantedAt) },
    {
      key: 'withdrawnAt',
      title: t('consents.withdrawnAt'),
      render: (_, row) => formatDateTime(row.withdrawnAt),
    },
    { key: 'recordedBy', title: t('consents.recordedBy'), dataIndex: 'recordedBy' },
  ];
  if (mayManage)
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_, row) =>
        row.withdrawnAt ? null : (
          <Button
            size="small"
            icon={<StopOutlined />}
            loading={withdrawing === row.id}
            onClick={() => withdraw(row)}
            data-testid={`consent-withdraw-${row.id}`}
          >
            {t('consents.withdraw')}
          </Button>
        ),
    });

  return (
    <Card
      size="small"
      title={t('consents.title')}
      data-testid="consents-card"
      extra={
        mayManage && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="consent-add"
          >
            {t('consents.add')}
          </Button>
        )
      }
    >
      <Table<Consent>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={consents}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('consents.empty') }}
      />
      <Modal
        open={adding}
        title={t('consents.add')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onOk={() => form.submit()}
        onCancel={() => setAdding(false)}
        confirmLoading={saving}
        forceRender
        okButtonProps={testId('consent-submit')}
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="purpose"
            label={t('consents.purpose')}
            rules={[{ required: true, message: t('form.required', { label: t('consents.purpose') }) }]}
          >
            <Select
              options={CONSENT_PURPOSES.map((value) => ({ value, label: t(`purpose.${value}`) }))}
              data-testid="consent-purpose"
            />
          </Form.Item>
          <Form.Item name="scope" label={t('consents.scope')}>
            <Input maxLength={500} placeholder={t('consents.scopeHint')} data-testid="consent-scope" />
          </Form.Item>
          <Form.Item name="channel" label={t('consents.channel')}>
            <Input maxLength={100} placeholder={t('consents.channelHint')} data-testid="consent-channel" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
