import { Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';
import { OwnerInput } from './OwnerInput';

interface Values {
  to?: string | null;
  reason?: string;
}

interface Props {
  customerId: number;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}

export function TransferModal({ customerId, open, onClose, onDone }: Props) {
  const { t } = useT();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (values: Values) => {
    const reason = values.reason?.trim();
    setSaving(true);
    try {
      await api.transferCustomer(customerId, {
        to: (values.to ?? '').trim(),
        ...(reason ? { reason } : {}),
      });
      notify.success('transfer.done');
      onDone();
    } catch (cause) {
      notify.error(cause);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('transfer.title')}
      okText={t('transfer.open')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
      okButtonProps={testId('transfer-submit')}
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="to"
          label={t('transfer.to')}
          rules={[
            { required: true, whitespace: true, message: t('form.required', { label: t('transfer.to') }) },
          ]}
        >
          <OwnerInput data-testid="transfer-to" />
        </Form.Item>
        <Form.Item name="reason" label={t('transfer.reason')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={500}
            data-testid="transfer-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
