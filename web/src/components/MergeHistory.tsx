import { ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { App, Button, Flex, Popconfirm, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { duplicatesApi, type MergeRecord } from '../api-imports';
import { formatCount, formatDateTime } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { useCan } from '../session';
import { testId } from '../test-id';
import { useFieldLabel, useTableLabel } from './MergeDrawer';

const PAGE_SIZE = 50;

interface Props {
  reloadKey: number;
  onChanged: () => void;
}

/** Merges, newest first, each undoable (the removed customers and their rows come back). */
export function MergeHistory({ reloadKey, onChanged }: Props) {
  const { t } = useT();
  const can = useCan();
  const { modal } = App.useApp();
  const notify = useNotify();
  const label = useFieldLabel();
  const tableLabel = useTableLabel();
  const [items, setItems] = useState<MergeRecord[]>([]);
  const [nextBeforeId, setNextBeforeId] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [undoing, setUndoing] = useState<number | null>(null);
  const [reloads, setReloads] = useState(0);

  const load = useCallback(
    async (beforeId: number | null, signal?: AbortSignal) => {
      setLoading(true);
      try {
        const page = await duplicatesApi.listMerges(
          { beforeId: beforeId ?? undefined, limit: PAGE_SIZE },
          signal,
        );
        setItems((previous) => (beforeId ? [...previous, ...page.items] : page.items));
        setNextBeforeId(page.nextBeforeId);
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
    void load(null, controller.signal);
    return () => controller.abort();
  }, [load, reloadKey, reloads]);

  const undo = async (id: number) => {
    setUndoing(id);
    try {
      const answer = await duplicatesApi.undoMerge(id);
      const restored = answer.restoredCustomers.map((item) => item.code).join(t('imports.listSeparator'));
      modal.success({
        title: t('merges.undone', { id: answer.mergeId }),
        content: (
          <Flex vertical gap={4} data-testid="unmerge-result">
            <span>{t('merges.undoneCustomers', { codes: restored || t('merge.none') })}</span>
            {answer.changedSince.length > 0 && (
              <Typography.Text type="warning">
                {t('merges.changedSince', {
                  fields: answer.changedSince.map(label).join(t('imports.listSeparator')),
                })}
              </Typography.Text>
            )}
          </Flex>
        ),
      });
      onChanged();
    } catch (cause) {
      notify.error(cause);
    } finally {
      setUndoing(null);
    }
  };

  const columns: TableColumnsType<MergeRecord> = [
    { key: 'id', title: t('imports.history.id'), dataIndex: 'id', width: 70 },
    { key: 'at', title: t('imports.history.at'), render: (_, row) => formatDateTime(row.mergedAt) },
    {
      key: 'survivor',
      title: t('merges.survivor'),
      render: (_, row) => <Link to={`/customers/${row.survivor.id}`}>{row.survivor.code}</Link>,
    },
    {
      key: 'removed',
      title: t('merges.removed'),
      render: (_, row) => (
        <Flex vertical>
          {row.removed.map((item) => (
            <span key={item.id}>
              {item.code} <Typography.Text type="secondary">{item.name}</Typography.Text>
            </span>
          ))}
        </Flex>
      ),
    },
    {
      key: 'taken',
      title: t('merge.changedFields'),
      render: (_, row) => {
        const entries = Object.entries(row.taken);
        if (entries.length === 0) return '—';
        return entries
          .map(([field, from]) => t('merge.fieldFrom', { field: label(field), from }))
          .join(t('imports.listSeparator'));
      },
    },
    {
      key: 'moved',
      title: t('merge.moved'),
      render: (_, row) => {
        const entries = Object.entries(row.moved).filter(([, n]) => n > 0);
        if (entries.length === 0) return '—';
        return entries
          .map(([table, n]) => `${tableLabel(table)} ${formatCount(n)}`)
          .join(t('imports.listSeparator'));
      },
    },
    { key: 'actor', title: t('imports.history.actor'), dataIndex: 'actor' },
    {
      key: 'status',
      title: t('imports.history.status'),
      render: (_, row) =>
        row.undoneAt ? (
          <Tooltip
            title={t('imports.history.undoneBy', {
              by: row.undoneBy ?? '—',
              at: formatDateTime(row.undoneAt),
            })}
          >
            <Tag data-testid={`merge-undone-${row.id}`}>{t('merges.statusUndone')}</Tag>
          </Tooltip>
        ) : (
          <Tag color="green">{t('merges.statusMerged')}</Tag>
        ),
    },
    ...(can('customers.delete')
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_: unknown, row: MergeRecord) =>
              row.undoneAt ? null : (
                <Popconfirm
                  title={t('merges.undoConfirm')}
                  okText={t('merges.undo')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true, ...testId(`merge-undo-confirm-${row.id}`) }}
                  onConfirm={() => undo(row.id)}
                >
                  <Button
                    size="small"
                    danger
                    icon={<RollbackOutlined />}
                    loading={undoing === row.id}
                    data-testid={`merge-undo-${row.id}`}
                  >
                    {t('merges.undo')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('merges.intro')}</Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={() => setReloads((n) => n + 1)} loading={loading}>
          {t('imports.history.refresh')}
        </Button>
      </Flex>
      <Table<MergeRecord>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('merges.empty') }}
        data-testid="merge-history-table"
      />
      {nextBeforeId !== null && (
        <Flex justify="center">
          <Button loading={loading} onClick={() => load(nextBeforeId)}>
            {t('common.loadMore')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
}
