import { DatePicker, Form, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api';
import { fromDay, toDay } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';
import type { Collaborator, CollaboratorAccess } from '../types';
import { OwnerInput } from './OwnerInput';

interface Values {
  username?: string | null;
  access: CollaboratorAccess;
  until?: Dayjs | null;
}

interface Props {
  customerId: number;
  /** The collaborator to change, `null` to add one, `undefined` when closed. */
  collaborator: Collaborator | null | undefined;
  onClose: () => void;
  onSaved: (items: Collaborator[]) => void;
}

export function CollaboratorModal({ customerId, collaborator, onClose, onSaved }: Props) {
  const { t } = useT();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const open = collaborator !== undefined;
  const initialValues = useMemo<Values>(
    () =>
      collaborator
        ? { username: collaborator.username, access: collaborator.access, until: toDay(collaborator.until) }
        : { username: null, access: 'read', until: null },
    [collaborator],
  );

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (values: Values) => {
    const username = (collaborator?.username ?? values.username ?? '').trim();
    setSaving(true);
    try {
      const answer = await api.setCollaborator(customerId, username, {
        access: values.access,
        until: fromDay(values.until),
      });
      notify.success('common.saved');
      onSaved(answer.items);
    } catch (cause) {
      notify.error(cause);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={collaborator ? t('collab.edit') : t('collab.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
      okButtonProps={testId('collaborator-submit')}
    >
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={submit}>
        <Form.Item
          name="username"
          label={t('collab.username')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('form.required', { label: t('collab.username') }),
            },
          ]}
        >
          {collaborator ? (
            <Select
              disabled
              options={[{ value: collaborator.username, label: collaborator.username }]}
              data-testid="collaborator-username"
            />
          ) : (
            <OwnerInput data-testid="collaborator-username" />
          )}
        </Form.Item>
        <Form.Item name="access" label={t('collab.access')} rules={[{ required: true }]}>
          <Select
            options={(['read', 'write'] as const).map((value) => ({
              value,
              label: t(`collab.access.${value}`),
            }))}
            data-testid="collaborator-access"
          />
        </Form.Item>
        <Form.Item name="until" label={t('collab.until')} extra={t('collab.untilHint')}>
          <DatePicker style={{ width: '100%' }} data-testid="collaborator-until" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
