import { Col, Form, Input, Modal, Row, Switch } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api';
import { applyFieldErrors } from '../form-errors';
import { blankToNull } from '../form-values';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';
import type { Contact, ContactInput } from '../types';

const TEXT_FIELDS = ['name', 'title', 'phone', 'email', 'wechat', 'qq', 'address'] as const;
const KNOWN = new Set<string>([...TEXT_FIELDS, 'isPrimary', 'notes']);

interface Props {
  customerId: number;
  /** The contact to edit, `null` to add one, `undefined` when closed. */
  contact: Contact | null | undefined;
  onClose: () => void;
  onSaved: () => void;
}

export function ContactModal({ customerId, contact, onClose, onSaved }: Props) {
  const { t, lang } = useT();
  const notify = useNotify();
  const [form] = Form.useForm<ContactInput>();
  const [saving, setSaving] = useState(false);
  const open = contact !== undefined;
  const initialValues = useMemo<ContactInput>(() => contact ?? { isPrimary: false }, [contact]);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (values: ContactInput) => {
    const body: ContactInput = {
      ...blankToNull(values),
      name: values.name?.trim() ?? '',
      isPrimary: Boolean(values.isPrimary),
    };
    setSaving(true);
    try {
      if (contact) await api.updateContact(customerId, contact.id, body);
      else await api.createContact(customerId, body);
      notify.success('common.saved');
      onSaved();
    } catch (cause) {
      applyFieldErrors(form, cause, KNOWN, lang);
      notify.error(cause);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={contact ? t('contacts.edit') : t('contacts.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
      okButtonProps={testId('contact-submit')}
    >
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={submit}>
        <Row gutter={12}>
          {TEXT_FIELDS.map((name) => (
            <Col key={name} xs={24} sm={name === 'address' ? 24 : 12}>
              <Form.Item
                name={name}
                label={t(`contact.${name}`)}
                rules={
                  name === 'name'
                    ? [
                        {
                          required: true,
                          whitespace: true,
                          message: t('form.required', { label: t('contact.name') }),
                        },
                      ]
                    : []
                }
              >
                <Input data-testid={`contact-${name}`} />
              </Form.Item>
            </Col>
          ))}
          <Col xs={24}>
            <Form.Item name="isPrimary" label={t('contact.isPrimary')} valuePropName="checked">
              <Switch data-testid="contact-isPrimary" />
            </Form.Item>
            <Form.Item name="notes" label={t('contact.notes')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} data-testid="contact-notes" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
