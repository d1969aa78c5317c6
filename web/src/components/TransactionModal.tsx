import { Col, DatePicker, Form, Input, InputNumber, Modal, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { applyFieldErrors } from '../form-errors';
import { omitBlank } from '../form-values';
import { DATE_FORMAT, fromDay } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';

interface Values {
  occurredOn?: Dayjs | null;
  product?: string;
  category?: string;
  quantity?: string | null;
  amount?: string | null;
  cost?: string | null;
  channel?: string;
  externalRef?: string;
  notes?: string;
}

const TEXT_FIELDS = ['product', 'category', 'channel', 'externalRef'] as const;
const DECIMAL_FIELDS = ['quantity', 'amount', 'cost'] as const;
const KNOWN = new Set<string>(['occurredOn', ...TEXT_FIELDS, ...DECIMAL_FIELDS, 'notes']);

interface Props {
  customerId: number;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}

export function TransactionModal({ customerId, open, onClose, onSaved }: Props) {
  const { t, lang } = useT();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (values: Values) => {
    setSaving(true);
    try {
      // Decimal inputs run in string mode, so amounts reach the server exactly as typed.
      await api.createTransaction(
        customerId,
        omitBlank({ ...values, occurredOn: fromDay(values.occurredOn) }),
      );
      notify.success('common.saved');
      onSaved();
    } catch (cause) {
      applyFieldErrors(form, cause, KNOWN, lang);
      notify.error(cause);
    } finally {
      setSaving(false);
    }
  };

  const required = (label: string) => [{ required: true, message: t('form.required', { label }) }];

  return (
    <Modal
      open={open}
      title={t('tx.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
      okButtonProps={testId('transaction-submit')}
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ occurredOn: dayjs() }} onFinish={submit}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="occurredOn" label={t('tx.occurredOn')} rules={required(t('tx.occurredOn'))}>
              <DatePicker
                format={DATE_FORMAT}
                style={{ width: '100%' }}
                data-testid="transaction-occurredOn"
              />
            </Form.Item>
          </Col>
          {DECIMAL_FIELDS.map((name) => (
            <Col key={name} xs={24} sm={12}>
              <Form.Item
                name={name}
                label={t(`tx.${name}`)}
                rules={name === 'amount' ? required(t('tx.amount')) : []}
              >
                <InputNumber<string>
                  stringMode
                  precision={name === 'quantity' ? undefined : 2}
                  style={{ width: '100%' }}
                  data-testid={`transaction-${name}`}
                />
              </Form.Item>
            </Col>
          ))}
          {TEXT_FIELDS.map((name) => (
            <Col key={name} xs={24} sm={12}>
              <Form.Item name={name} label={t(`tx.${name}`)}>
                <Input data-testid={`transaction-${name}`} />
              </Form.Item>
            </Col>
          ))}
          <Col xs={24}>
            <Form.Item name="notes" label={t('tx.notes')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} data-testid="transaction-notes" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
