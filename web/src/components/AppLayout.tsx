import {
  AuditOutlined,
  CrownOutlined,
  DashboardOutlined,
  ImportOutlined,
  LogoutOutlined,
  MergeCellsOutlined,
  TeamOutlined,
  UsergroupAddOutlined,
  UserOutlined,
} from '@ant-design/icons';
import {
  Avatar,
  Button,
  Dropdown,
  Flex,
  Layout,
  Menu,
  type MenuProps,
  Skeleton,
  Space,
  Tag,
  Typography,
  theme,
} from 'antd';
import { type ReactNode, Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useT } from '../i18n';
import { useSession } from '../session';
import type { Permission } from '../types';
import { LanguageSwitch } from './LanguageSwitch';

const { Header, Sider, Content } = Layout;

interface NavEntry {
  key: string;
  icon: ReactNode;
  label: ReactNode;
  /** Shown only to users holding it; entries without one are for everyone. */
  permission?: Permission;
}

export function AppLayout() {
  const { t } = useT();
  const { pathname } = useLocation();
  const { token } = theme.useToken();
  const session = useSession();
  // One entry per module; later modules (orders, reports…) add their own.
  const entries: NavEntry[] = [
    { key: '/customers', icon: <TeamOutlined />, label: <Link to="/customers">{t('nav.customers')}</Link> },
    {
      key: '/import',
      icon: <ImportOutlined />,
      label: (
        <Link to="/import" data-testid="nav-import">
          {t('nav.import')}
        </Link>
      ),
      permission: 'customers.import',
    },
    {
      key: '/duplicates',
      icon: <MergeCellsOutlined />,
      label: (
        <Link to="/duplicates" data-testid="nav-duplicates">
          {t('nav.duplicates')}
        </Link>
      ),
      permission: 'customers.read',
    },
    {
      key: '/quality',
      icon: <DashboardOutlined />,
      label: (
        <Link to="/quality" data-testid="nav-quality">
          {t('nav.quality')}
        </Link>
      ),
      permission: 'customers.read',
    },
    {
      key: '/tiers',
      icon: <CrownOutlined />,
      label: (
        <Link to="/tiers" data-testid="nav-tiers">
          {t('nav.tiers')}
        </Link>
      ),
      permission: 'tiers.read',
    },
    {
      key: '/audit',
      icon: <AuditOutlined />,
      label: (
        <Link to="/audit" data-testid="nav-audit">
          {t('nav.audit')}
        </Link>
      ),
      permission: 'audit.read',
    },
    {
      key: '/users',
      icon: <UsergroupAddOutlined />,
      label: (
        <Link to="/users" data-testid="nav-users">
          {t('nav.users')}
        </Link>
      ),
      permission: 'users.manage',
    },
  ];
  const items = entries
    .filter((entry) => !entry.permission || session.can(entry.permission))
    .map(({ key, icon, label }) => ({ key, icon, label }));
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
        <Link to="/customers" style={{ color: 'inherit', minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }} ellipsis data-testid="app-title">
            {t('app.title')}
          </Typography.Title>
        </Link>
        <Space size={16}>
          <LanguageSwitch />
          <UserMenu />
        </Space>
      </Header>
      <Layout>
        <Sider breakpoint="lg" collapsedWidth={0} theme="light" width={200}>
          <Menu
            mode="inline"
            selectedKeys={selected}
            items={items}
            style={{ height: '100%' }}
            data-testid="nav"
          />
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

/** Who is logged in, with what role; the menu holds the logout. */
function UserMenu() {
  const { t } = useT();
  const session = useSession();
  const user = session.user;
  if (!user) return null;

  const roleLabel = t(`role.${user.role}`);
  const items: MenuProps['items'] = [
    {
      key: 'scope',
      disabled: true,
      label: (
        <Typography.Text type="secondary" data-testid="current-scope">
          {t('account.scope', { scope: t(`scope.${user.scope}`) })}
        </Typography.Text>
      ),
    },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('account.logout')}</span>,
    },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    // Without a session the guard around this layout moves on to /login.
    if (key === 'logout') void session.logout();
  };

  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" aria-label={t('account.menu')} data-testid="user-menu" style={{ height: 'auto' }}>
        <Flex align="center" gap={8}>
          <Avatar size="small" icon={<UserOutlined />} />
          <Typography.Text strong data-testid="current-user">
            {user.username}
          </Typography.Text>
          <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="current-role" data-role={user.role}>
            {roleLabel}
          </Tag>
        </Flex>
      </Button>
    </Dropdown>
  );
}
