import { Flex, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../api';
import { type SchemeDefinition, tiersApi } from '../api-tiers';
import { applyFieldErrors } from '../form-errors';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';
import { byRankDesc, TierTag } from '../tier-format';

/** Paths of the app's own pages under /tiers; a scheme with such an id could not be opened. */
export const RESERVED_SCHEME_IDS = new Set(['new', 'notices']);
export const SCHEME_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

interface Values {
  preset?: string;
  id?: string;
}

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}

/** Creates a scheme from one of the ready-made examples, optionally under another id. */
export function PresetModal({ open, onClose, onCreated }: Props) {
  const { t, pick, lang } = useT();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const [presets, setPresets] = useState<SchemeDefinition[]>([]);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const chosen = Form.useWatch('preset', form);
  const preset = presets.find((item) => item.id === chosen);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    const controller = new AbortController();
    setLoading(true);
    tiersApi
      .presets(controller.signal)
      .then((answer) => setPresets(answer.items))
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notify.error(cause, 'common.loadFailed');
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [open, form, notify]);

  const submit = async (values: Values) => {
    if (!values.preset) return;
    setSaving(true);
    try {
      const created = await tiersApi.createFromPreset(values.preset, values.id?.trim() || undefined);
      notify.success('common.created');
      onCreated(created.id);
    } catch (cause) {
      const unplaced = applyFieldErrors(form, cause, new Set(['preset', 'id']), lang);
      const placedAll = cause instanceof ApiError && cause.fieldErrors.length > 0 && unplaced.length === 0;
      if (!placedAll) notify.error(cause);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('tiers.list.fromPreset')}
      okText={t('form.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
      okButtonProps={testId('preset-submit')}
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="preset"
          label={t('tiers.preset.label')}
          rules={[{ required: true, message: t('form.required', { label: t('tiers.preset.label') }) }]}
        >
          <Select
            loading={loading}
            data-testid="preset-select"
            options={presets.map((item) => ({ value: item.id, label: pick(item.name.zh, item.name.en) }))}
          />
        </Form.Item>
        {preset && (
          <Flex vertical gap={8} style={{ marginBottom: 16 }} data-testid="preset-description">
            {preset.description && (
              <Typography.Text type="secondary">
                {pick(preset.description.zh, preset.description.en)}
              </Typography.Text>
            )}
            <Flex gap={4} wrap>
              {byRankDesc(preset.tiers).map((tier) => (
                <TierTag key={tier.key} tiers={preset.tiers} tierKey={tier.key} />
              ))}
            </Flex>
          </Flex>
        )}
        <Form.Item
          name="id"
          label={t('tiers.preset.id')}
          extra={t('tiers.preset.idHint')}
          rules={[
            { pattern: SCHEME_ID, message: t('tiers.scheme.idInvalid') },
            {
              validator: (_, value: string | undefined) =>
                value && RESERVED_SCHEME_IDS.has(value.trim())
                  ? Promise.reject(new Error(t('tiers.scheme.idReserved')))
                  : Promise.resolve(),
            },
          ]}
        >
          <Input placeholder={preset?.id} maxLength={63} data-testid="preset-id" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
