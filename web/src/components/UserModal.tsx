import { Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { applyFieldErrors } from '../form-errors';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';
import { ROLES, type Role, type Team, type UserInput } from '../types';

const KNOWN = new Set(['username', 'displayName', 'role', 'team', 'password']);
/** The server's rule for usernames (users.ts) and its minimum password length. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const MIN_PASSWORD = 10;

interface UserFormValues {
  username?: string;
  displayName?: string;
  role?: Role;
  team?: string | null;
  password?: string;
}

interface Props {
  open: boolean;
  teams: Team[];
  onClose: () => void;
  onSaved: () => void;
}

export function UserModal({ open, teams, onClose, onSaved }: Props) {
  const { t, lang } = useT();
  const notify = useNotify();
  const [form] = Form.useForm<UserFormValues>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (values: UserFormValues) => {
    const body: UserInput = {
      username: (values.username ?? '').trim(),
      role: values.role ?? 'sales',
      password: values.password ?? '',
    };
    if (values.displayName?.trim()) body.displayName = values.displayName.trim();
    if (values.team) body.team = values.team;
    setSaving(true);
    try {
      await api.createUser(body);
      notify.success('common.created');
      onSaved();
    } catch (cause) {
      applyFieldErrors(form, cause, KNOWN, lang);
      notify.error(cause);
    } finally {
      setSaving(false);
    }
  };

  const required = (label: string) => ({
    required: true,
    whitespace: true,
    message: t('form.required', { label }),
  });

  return (
    <Modal
      open={open}
      title={t('users.add')}
      okText={t('form.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
      okButtonProps={testId('user-submit')}
    >
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        initialValues={{ role: 'sales' }}
        onFinish={submit}
        data-testid="user-form"
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={[required(t('users.username')), { pattern: USERNAME, message: t('users.usernameInvalid') }]}
        >
          <Input autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')}>
          <Input maxLength={100} data-testid="user-displayName" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[required(t('users.role'))]}>
          <Select
            data-testid="user-role"
            options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
          />
        </Form.Item>
        <Form.Item name="team" label={t('users.team')}>
          <Select
            data-testid="user-team"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={teams.map((team) => ({ value: team.name, label: team.name }))}
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.password')}
          extra={t('users.passwordHint')}
          rules={[required(t('users.password')), { min: MIN_PASSWORD, message: t('users.passwordHint') }]}
        >
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
