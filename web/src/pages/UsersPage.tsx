import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { UserModal } from '../components/UserModal';
import { formatDateTime, orDash } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import type { Team, User } from '../types';

/** User accounts and teams (users.manage); new users are added in a modal. */
export function UsersPage() {
  const { t } = useT();
  const notify = useNotify();
  const [users, setUsers] = useState<User[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [loading, setLoading] = useState(true);
  const [adding, setAdding] = useState(false);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        const [userList, teamList] = await Promise.all([api.listUsers(signal), api.listTeams(signal)]);
        setUsers(userList.items);
        setTeams(teamList.items);
      } catch (cause) {
        if (!signal?.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [notify],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const userColumns: TableColumnsType<User> = [
    { key: 'username', dataIndex: 'username', title: t('users.username') },
    {
      key: 'displayName',
      dataIndex: 'displayName',
      title: t('users.displayName'),
      render: (value: string | null) => orDash(value),
    },
    {
      key: 'role',
      title: t('users.role'),
      render: (_, row) => <Tag data-role={row.role}>{t(`role.${row.role}`)}</Tag>,
    },
    {
      key: 'team',
      dataIndex: 'team',
      title: t('users.team'),
      render: (value: string | null) => orDash(value),
    },
    {
      key: 'status',
      title: t('users.status'),
      render: (_, row) =>
        row.disabled ? (
          <Tag color="default">{t('users.disabled')}</Tag>
        ) : (
          <Tag color="success">{t('users.active')}</Tag>
        ),
    },
    {
      key: 'createdAt',
      title: t('field.createdAt'),
      render: (_, row) => formatDateTime(row.createdAt),
    },
  ];

  const teamColumns: TableColumnsType<Team> = [
    { key: 'name', dataIndex: 'name', title: t('teams.name') },
    {
      key: 'parent',
      dataIndex: 'parent',
      title: t('teams.parent'),
      render: (value: string | null) => orDash(value),
    },
    {
      key: 'manager',
      dataIndex: 'manager',
      title: t('teams.manager'),
      render: (value: string | null) => orDash(value),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('users.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="user-add">
          {t('users.add')}
        </Button>
      </Flex>
      <Table<User>
        data-testid="users-table"
        rowKey="id"
        size="middle"
        columns={userColumns}
        dataSource={users}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('users.empty') }}
      />
      <Card size="small" title={t('teams.title')}>
        <Table<Team>
          data-testid="teams-table"
          rowKey="id"
          size="small"
          columns={teamColumns}
          dataSource={teams}
          loading={loading}
          pagination={false}
          locale={{ emptyText: t('teams.empty') }}
        />
      </Card>
      <UserModal
        open={adding}
        teams={teams}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          void load();
        }}
      />
    </Flex>
  );
}
