import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography, theme } from 'antd';
import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { ApiError } from '../api';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { type MessageKey, pickBilingual, useT } from '../i18n';
import { safeNext, useSession } from '../session';

interface LoginValues {
  username: string;
  password: string;
}

/** Titles for the answers a login can get; the server's message says the rest. */
const ERROR_TITLES: Record<number, MessageKey> = {
  401: 'login.wrongCredentials',
  423: 'login.locked',
  429: 'login.rateLimited',
};

export function LoginPage() {
  const { t, lang } = useT();
  const { token } = theme.useToken();
  const session = useSession();
  const [params] = useSearchParams();
  const [form] = Form.useForm<LoginValues>();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const next = safeNext(params.get('next'));

  // Logged in (now or already): on to the page the user came for.
  if (session.state.status === 'authenticated') return <Navigate to={next} replace />;

  const submit = async (values: LoginValues) => {
    setSubmitting(true);
    setError(null);
    try {
      await session.login(values.username.trim(), values.password);
    } catch (cause) {
      setError(cause);
      form.setFieldValue('password', '');
      form.focusField('password');
    } finally {
      setSubmitting(false);
    }
  };

  const reason = session.state.status === 'anonymous' ? session.state.reason : 'none';
  let notice = null;
  if (error) {
    const status = error instanceof ApiError ? error.status : 0;
    const title = t(ERROR_TITLES[status] ?? 'login.failed');
    const text = error instanceof Error ? pickBilingual(error.message, lang) : '';
    notice = (
      <Alert
        type="error"
        showIcon
        title={title}
        description={text && text !== title ? text : undefined}
        data-testid="login-error"
        data-code={error instanceof ApiError ? error.code : undefined}
      />
    );
  } else if (reason === 'expired') {
    notice = <Alert type="warning" showIcon title={t('login.expired')} data-testid="login-notice" />;
  } else if (reason === 'logout') {
    notice = <Alert type="success" showIcon title={t('login.loggedOut')} data-testid="login-notice" />;
  }

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      gap={24}
      style={{ minHeight: '100vh', padding: 16, background: token.colorBgLayout }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Flex vertical gap={20}>
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="app-title">
              {t('app.title')}
            </Typography.Title>
            <LanguageSwitch />
          </Flex>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('login.title')}
          </Typography.Title>
          {notice}
          <Form<LoginValues>
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={submit}
            disabled={session.state.status === 'loading'}
            data-testid="login-form"
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        </Flex>
      </Card>
    </Flex>
  );
}
