import { Button, Flex, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useT } from '../i18n';
import { MetaProvider } from '../meta';
import { useSession } from '../session';
import type { Permission } from '../types';

/**
 * The logged-in part of the app. Without a session it sends the user to /login, remembering the
 * page (`?next=`) unless they logged out themselves. Meta loads only with a session: it needs one.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useT();
  const session = useSession();
  const location = useLocation();
  const { state } = session;

  if (state.status === 'loading') {
    return (
      <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
        <Spin size="large" description={t('session.checking')} />
      </Flex>
    );
  }
  if (state.status === 'error') {
    return (
      <Result
        status="error"
        title={t('session.error')}
        subTitle={state.error instanceof Error ? state.error.message : undefined}
        extra={<Button onClick={session.retry}>{t('common.retry')}</Button>}
      />
    );
  }
  if (state.status === 'anonymous') {
    const here = `${location.pathname}${location.search}${location.hash}`;
    const remember = state.reason !== 'logout' && here !== '/' && here !== '/customers';
    const to = remember ? `/login?${new URLSearchParams({ next: here })}` : '/login';
    return <Navigate to={to} replace />;
  }
  // A new user (after logging out and in again) gets fresh meta and page state.
  return <MetaProvider key={state.user.username}>{children}</MetaProvider>;
}

/** A page for holders of one permission; others see a 403 instead of a page of failed requests. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { t } = useT();
  const session = useSession();
  const navigate = useNavigate();
  if (session.can(permission)) return <>{children}</>;
  return (
    <Result
      status="403"
      title={t('common.forbidden')}
      data-testid="forbidden"
      extra={<Button onClick={() => navigate('/customers')}>{t('detail.backToList')}</Button>}
    />
  );
}
