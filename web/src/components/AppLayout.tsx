import { TeamOutlined } from '@ant-design/icons';
import { Layout, Menu, Skeleton, Typography, theme } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useT } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const { t } = useT();
  const { pathname } = useLocation();
  const { token } = theme.useToken();
  // One entry per module; later modules (orders, reports…) add their own.
  const items = [
    { key: '/customers', icon: <TeamOutlined />, label: <Link to="/customers">{t('nav.customers')}</Link> },
  ];
  const selected = items.filter((item) => pathname.startsWith(item.key)).map((item) => item.key);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          gap: 16,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
          paddingInline: 24,
        }}
      >
        <Link to="/customers" style={{ color: 'inherit' }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="app-title">
            {t('app.title')}
          </Typography.Title>
        </Link>
        <LanguageSwitch />
      </Header>
      <Layout>
        <Sider breakpoint="lg" collapsedWidth={0} theme="light" width={200}>
          <Menu mode="inline" selectedKeys={selected} items={items} style={{ height: '100%' }} />
        </Sider>
        <Content style={{ padding: 24, minWidth: 0 }}>
          <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
