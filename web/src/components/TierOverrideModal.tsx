import { Checkbox, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import { type SchemeSummary, tiersApi } from '../api-tiers';
import { applyFieldErrors } from '../form-errors';
import { fromDay } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';
import { byRankDesc, tierName } from '../tier-format';

interface Values {
  tier?: string;
  reason?: string;
  lock: boolean;
  until?: Dayjs | null;
}

interface Props {
  customerId: number;
  /** The scheme whose tier is set; null closes the modal. */
  scheme: SchemeSummary | null;
  currentTier: string | null;
  onClose: () => void;
  onDone: () => void;
}

/** 人工调整: sets the tier by hand with a reason, optionally locked against reviews until a date. */
export function TierOverrideModal({ customerId, scheme, currentTier, onClose, onDone }: Props) {
  const { t, pick, lang } = useT();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const lock = Form.useWatch('lock', form);
  const open = scheme !== null;

  useEffect(() => {
    if (open) form.setFieldsValue({ tier: currentTier ?? undefined, reason: '', lock: true, until: null });
  }, [open, currentTier, form]);

  const submit = async (values: Values) => {
    if (!scheme || !values.tier) return;
    setSaving(true);
    try {
      await tiersApi.override(customerId, scheme.id, {
        tier: values.tier,
        reason: (values.reason ?? '').trim(),
        lock: values.lock,
        until: values.lock ? fromDay(values.until) : null,
      });
      notify.success('tiers.override.done');
      onDone();
    } catch (cause) {
      const unplaced = applyFieldErrors(form, cause, new Set(['tier', 'reason', 'lock', 'until']), lang);
      const placedAll = cause instanceof ApiError && cause.fieldErrors.length > 0 && unplaced.length === 0;
      if (!placedAll) notify.error(cause);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('tiers.override.title', { scheme: scheme ? pick(scheme.name.zh, scheme.name.en) : '' })}
      okText={t('tiers.override.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
      okButtonProps={testId('tier-override-submit')}
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ lock: true }}>
        <Form.Item
          name="tier"
          label={t('tiers.tier')}
          rules={[{ required: true, message: t('form.required', { label: t('tiers.tier') }) }]}
        >
          <Select
            options={byRankDesc(scheme?.tiers ?? []).map((tier) => ({
              value: tier.key,
              label: tierName(scheme?.tiers ?? [], tier.key, pick),
            }))}
            data-testid="tier-override-tier"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('tiers.override.reason')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('form.required', { label: t('tiers.override.reason') }),
            },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={1000}
            data-testid="tier-override-reason"
          />
        </Form.Item>
        <Form.Item name="lock" valuePropName="checked" extra={t('tiers.override.lockHint')}>
          <Checkbox data-testid="tier-override-lock">{t('tiers.override.lock')}</Checkbox>
        </Form.Item>
        <Form.Item name="until" label={t('tiers.override.until')} extra={t('tiers.override.untilHint')}>
          <DatePicker
            disabled={!lock}
            disabledDate={(day) => day.isBefore(dayjs(), 'day')}
            data-testid="tier-override-until"
          />
        </Form.Item>
        <Typography.Text type="secondary">{t('tiers.override.auditHint')}</Typography.Text>
      </Form>
    </Modal>
  );
}
