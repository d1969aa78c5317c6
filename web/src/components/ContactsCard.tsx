import { PlusOutlined, StarFilled } from '@ant-design/icons';
import { Button, Card, Space, Table, type TableColumnsType, Tooltip } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { formatPhone, orDash } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { useCan } from '../session';
import type { Contact } from '../types';
import { ContactModal } from './ContactModal';
import { RowActions } from './RowActions';

export function ContactsCard({ customerId }: { customerId: number }) {
  const { t } = useT();
  const mayWrite = useCan()('customers.write');
  const notify = useNotify();
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [loading, setLoading] = useState(true);
  const [editing, setEditing] = useState<Contact | null | undefined>(undefined);

  // Reloaded after every change: making one contact primary clears the flag on the others.
  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        setContacts((await api.listContacts(customerId, signal)).items);
      } catch (cause) {
        if (!signal?.aborted) notify.error(cause, 'common.loadFailed');
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [customerId, notify],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);
  const onChanged = () => void load();

  const remove = async (contact: Contact) => {
    try {
      await api.deleteContact(customerId, contact.id);
      notify.success('common.deleted');
      onChanged();
    } catch (cause) {
      notify.error(cause);
    }
  };

  const text = (key: 'title' | 'phone' | 'email' | 'wechat' | 'qq') => ({
    key,
    dataIndex: key,
    title: t(`contact.${key}`),
    render: (value: string | null) => (key === 'phone' ? formatPhone(value) : orDash(value)),
  });

  const columns: TableColumnsType<Contact> = [
    {
      key: 'name',
      title: t('contact.name'),
      render: (_, row) => (
        <Space size={4}>
          {row.name}
          {row.isPrimary && (
            <Tooltip title={t('contact.isPrimary')}>
              <StarFilled style={{ color: '#faad14' }} aria-label={t('contact.isPrimary')} />
            </Tooltip>
          )}
        </Space>
      ),
    },
    text('title'),
    text('phone'),
    text('email'),
    text('wechat'),
    text('qq'),
  ];
  if (mayWrite)
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 100,
      render: (_, row) => (
        <RowActions
          onEdit={() => setEditing(row)}
          onDelete={() => remove(row)}
          confirmText={t('contacts.deleteConfirm', { name: row.name })}
        />
      ),
    });

  return (
    <Card
      size="small"
      title={t('contacts.title')}
      data-testid="contacts-card"
      extra={
        mayWrite && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setEditing(null)}
            data-testid="contact-add"
          >
            {t('contacts.add')}
          </Button>
        )
      }
    >
      <Table<Contact>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={contacts}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('contacts.empty') }}
      />
      <ContactModal
        customerId={customerId}
        contact={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          onChanged();
        }}
      />
    </Card>
  );
}
