import { SwapOutlined, UserAddOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { formatDateTime, orDash } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { useCan } from '../session';
import type { Collaborator, Customer, OwnershipTransfer } from '../types';
import { CollaboratorModal } from './CollaboratorModal';
import { RowActions } from './RowActions';
import { TransferModal } from './TransferModal';

interface Props {
  customer: Customer;
  /** Called after a transfer: the page reloads the customer. */
  onChanged: () => void;
}

/** The owner with the history of owners, and the colleagues who share the customer. */
export function OwnerCard({ customer, onChanged }: Props) {
  const { t } = useT();
  const can = useCan();
  const mayTransfer = can('customers.transfer');
  const mayWrite = can('customers.write');
  const notify = useNotify();
  const [transfers, setTransfers] = useState<OwnershipTransfer[]>([]);
  const [collaborators, setCollaborators] = useState<Collaborator[]>([]);
  const [loading, setLoading] = useState(true);
  const [transferring, setTransferring] = useState(false);
  const [editing, setEditing] = useState<Collaborator | null | undefined>(undefined);
  const customerId = customer.id;
  const version = customer.version;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        const [history, shared] = await Promise.all([
          api.listTransfers(customerId, signal),
          api.listCollaborators(customerId, signal),
        ]);
        setTransfers(history.items);
        setCollaborators(shared.items);
      } catch (cause) {
        if (!signal?.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [customerId, notify],
  );
  // A new version of the customer (a transfer, an erasure) may bring a new history.
  useEffect(() => {
    void version;
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, version]);

  const remove = async (row: Collaborator) => {
    try {
      await api.removeCollaborator(customerId, row.username);
      notify.success('collab.removed');
      void load();
    } catch (cause) {
      notify.error(cause);
    }
  };

  const historyColumns: TableColumnsType<OwnershipTransfer> = [
    { key: 'at', title: t('owner.at'), render: (_, row) => formatDateTime(row.at), width: 150 },
    {
      key: 'change',
      title: t('owner.change'),
      render: (_, row) => `${row.from ?? t('owner.none')} → ${row.to ?? t('owner.none')}`,
    },
    { key: 'actor', title: t('owner.actor'), dataIndex: 'actor' },
    { key: 'reason', title: t('owner.reason'), render: (_, row) => orDash(row.reason) },
  ];

  const collabColumns: TableColumnsType<Collaborator> = [
    { key: 'username', title: t('collab.username'), dataIndex: 'username' },
    {
      key: 'access',
      title: t('collab.access'),
      render: (_, row) => (
        <Tag color={row.access === 'write' ? 'blue' : 'default'} data-value={row.access}>
          {t(`collab.access.${row.access}`)}
        </Tag>
      ),
    },
    { key: 'until', title: t('collab.until'), render: (_, row) => row.until ?? t('collab.noEnd') },
  ];
  if (mayWrite)
    collabColumns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 100,
      render: (_, row) => (
        <RowActions
          onEdit={() => setEditing(row)}
          onDelete={() => remove(row)}
          confirmText={t('collab.removeConfirm', { name: row.username })}
          deleteLabel={t('collab.remove')}
          editTestId={`collaborator-edit-${row.username}`}
          deleteTestId={`collaborator-remove-${row.username}`}
        />
      ),
    });

  return (
    <Card
      size="small"
      title={t('owner.title')}
      data-testid="owner-card"
      extra={
        <Space size={8}>
          {mayTransfer && (
            <Button
              size="small"
              icon={<SwapOutlined />}
              onClick={() => setTransferring(true)}
              data-testid="transfer-open"
            >
              {t('transfer.open')}
            </Button>
          )}
          {mayWrite && (
            <Button
              size="small"
              icon={<UserAddOutlined />}
              onClick={() => setEditing(null)}
              data-testid="collaborator-add"
            >
              {t('collab.add')}
            </Button>
          )}
        </Space>
      }
    >
      <Flex vertical gap={12}>
        <Typography.Text>
          {t('owner.current')}
          <Typography.Text strong data-testid="owner-current">
            {customer.owner ?? t('owner.none')}
          </Typography.Text>
        </Typography.Text>
        <div>
          <Typography.Text type="secondary">{t('owner.history')}</Typography.Text>
          <Table<OwnershipTransfer>
            rowKey={(row) => `${row.at}-${row.from}-${row.to}`}
            size="small"
            columns={historyColumns}
            dataSource={transfers}
            loading={loading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('owner.historyEmpty') }}
            data-testid="owner-history"
          />
        </div>
        <div>
          <Typography.Text type="secondary">{t('collab.title')}</Typography.Text>
          <Table<Collaborator>
            rowKey="username"
            size="small"
            columns={collabColumns}
            dataSource={collaborators}
            loading={loading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('collab.empty') }}
            data-testid="collaborators-table"
          />
        </div>
      </Flex>
      <TransferModal
        customerId={customerId}
        open={transferring}
        onClose={() => setTransferring(false)}
        onDone={() => {
          setTransferring(false);
          onChanged();
        }}
      />
      <CollaboratorModal
        customerId={customerId}
        collaborator={editing}
        onClose={() => setEditing(undefined)}
        onSaved={(items) => {
          setEditing(undefined);
          setCollaborators(items);
        }}
      />
    </Card>
  );
}
