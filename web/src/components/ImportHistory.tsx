import { ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { App, Button, Flex, Popconfirm, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { type ImportRecord, importsApi } from '../api-imports';
import { formatCount, formatDateTime } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';

interface Props {
  /** Changes whenever an import was committed or undone elsewhere on the page. */
  reloadKey: number;
  onChanged: () => void;
}

/** Recent imports (the user's own, or all for users who see all customers), each undoable once. */
export function ImportHistory({ reloadKey, onChanged }: Props) {
  const { t } = useT();
  const { message } = App.useApp();
  const notify = useNotify();
  const [items, setItems] = useState<ImportRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [undoing, setUndoing] = useState<number | null>(null);
  const [reloads, setReloads] = useState(0);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        setItems((await importsApi.list(signal)).items);
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
  }, [load, reloadKey, reloads]);

  const undo = async (id: number) => {
    setUndoing(id);
    try {
      const answer = await importsApi.undo(id);
      void message.success(
        t('imports.result.undoneDetail', {
          deleted: formatCount(answer.deleted),
          restored: formatCount(answer.restored),
        }),
      );
      onChanged();
    } catch (cause) {
      notify.error(cause);
    } finally {
      setUndoing(null);
    }
  };

  const columns: TableColumnsType<ImportRecord> = [
    { key: 'id', title: t('imports.history.id'), dataIndex: 'id', width: 70 },
    {
      key: 'createdAt',
      title: t('imports.history.at'),
      render: (_, row) => formatDateTime(row.createdAt),
    },
    { key: 'kind', title: t('imports.kind'), render: (_, row) => t(`imports.kind.${row.kind}`) },
    {
      key: 'file',
      title: t('imports.history.file'),
      render: (_, row) => (
        <Tooltip title={`SHA-256 ${row.fileHash}`}>
          <span>{row.fileName}</span>
        </Tooltip>
      ),
    },
    { key: 'actor', title: t('imports.history.actor'), dataIndex: 'actor' },
    {
      key: 'counts',
      title: t('imports.history.counts'),
      render: (_, row) => (
        <Typography.Text>
          {t('imports.history.countsText', {
            rows: formatCount(row.rows),
            created: formatCount(row.created),
            updated: formatCount(row.updated),
            skipped: formatCount(row.skipped),
            invalid: formatCount(row.invalid),
          })}
        </Typography.Text>
      ),
    },
    {
      key: 'onDuplicate',
      title: t('imports.decide.duplicates'),
      render: (_, row) =>
        row.onDuplicate === 'skip' || row.onDuplicate === 'update'
          ? t(`imports.decide.${row.onDuplicate}`)
          : row.onDuplicate,
    },
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
            <Tag data-testid={`import-undone-${row.id}`}>{t('imports.history.undone')}</Tag>
          </Tooltip>
        ) : (
          <Tag color="green">{t('imports.history.active')}</Tag>
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, row) =>
        row.undoneAt ? null : (
          <Popconfirm
            title={t('imports.undoConfirm')}
            okText={t('imports.undo')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, ...testId(`import-history-undo-confirm-${row.id}`) }}
            onConfirm={() => undo(row.id)}
          >
            <Button
              size="small"
              danger
              icon={<RollbackOutlined />}
              loading={undoing === row.id}
              data-testid={`import-history-undo-${row.id}`}
            >
              {t('imports.undo')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('imports.history.intro')}</Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={() => setReloads((n) => n + 1)} loading={loading}>
          {t('imports.history.refresh')}
        </Button>
      </Flex>
      <Table<ImportRecord>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('imports.history.empty') }}
        data-testid="import-history-table"
      />
    </Flex>
  );
}
