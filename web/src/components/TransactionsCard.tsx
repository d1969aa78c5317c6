import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Popconfirm, Table, type TableColumnsType, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { formatMoney, orDash } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { useCan } from '../session';
import type { Transaction } from '../types';
import { TransactionModal } from './TransactionModal';

const PAGE_SIZE = 20;

interface Props {
  customerId: number;
  /** The customer's totals change with its transactions; the parent reloads them. */
  onChanged: () => void;
}

interface Loaded {
  items: Transaction[];
  nextCursor: string | null;
  total: number | undefined;
}

export function TransactionsCard({ customerId, onChanged }: Props) {
  const { t, lang } = useT();
  const mayWrite = useCan()('customers.write');
  const notify = useNotify();
  const [data, setData] = useState<Loaded>({ items: [], nextCursor: null, total: undefined });
  const [loading, setLoading] = useState(true);
  const [adding, setAdding] = useState(false);

  /** Loads the first page (cursor null) or appends the page after `cursor`. */
  const load = useCallback(
    async (cursor: string | null, signal?: AbortSignal) => {
      setLoading(true);
      try {
        const page = await api.listTransactions(customerId, { limit: PAGE_SIZE, cursor }, signal);
        setData((prev) => ({
          items: cursor ? [...prev.items, ...page.items] : page.items,
          nextCursor: page.nextCursor,
          total: page.total,
        }));
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
    void load(null, controller.signal);
    return () => controller.abort();
  }, [load]);

  const changed = () => {
    void load(null);
    onChanged();
  };

  const remove = async (tx: Transaction) => {
    try {
      await api.deleteTransaction(customerId, tx.id);
      notify.success('common.deleted');
      changed();
    } catch (cause) {
      notify.error(cause);
    }
  };

  const text = (key: 'product' | 'category' | 'quantity' | 'channel' | 'externalRef') => ({
    key,
    dataIndex: key,
    title: t(`tx.${key}`),
    render: (value: string | null) => orDash(value),
  });
  const columns: TableColumnsType<Transaction> = [
    { key: 'occurredOn', dataIndex: 'occurredOn', title: t('tx.occurredOn') },
    text('product'),
    text('category'),
    text('quantity'),
    {
      key: 'amount',
      title: t('tx.amount'),
      align: 'right',
      render: (_, row) => formatMoney(row.amount, lang),
    },
    text('channel'),
    text('externalRef'),
  ];
  if (mayWrite)
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 70,
      render: (_, row) => (
        <Popconfirm
          title={t('tx.deleteConfirm')}
          okText={t('common.delete')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() => remove(row)}
        >
          <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
        </Popconfirm>
      ),
    });

  const shown = data.items.length;
  return (
    <Card
      size="small"
      title={t('tx.title')}
      data-testid="transactions-card"
      extra={
        mayWrite && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="transaction-add"
          >
            {t('tx.add')}
          </Button>
        )
      }
    >
      <Table<Transaction>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data.items}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tx.empty') }}
      />
      {shown > 0 && (
        <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">
            {data.total === undefined
              ? t('tx.shown', { shown })
              : t('tx.shownOf', { shown, total: data.total })}
          </Typography.Text>
          {data.nextCursor && (
            <Button
              onClick={() => void load(data.nextCursor)}
              loading={loading}
              data-testid="transactions-more"
            >
              {t('tx.loadMore')}
            </Button>
          )}
        </Flex>
      )}
      <TransactionModal
        customerId={customerId}
        open={adding}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          changed();
        }}
      />
    </Card>
  );
}
