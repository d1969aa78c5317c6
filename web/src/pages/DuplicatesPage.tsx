import { MergeCellsOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Segmented, Table, type TableColumnsType, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  type DuplicateGroup,
  type DuplicateLevel,
  type DuplicateMatch,
  type DuplicateReport,
  duplicatesApi,
} from '../api-imports';
import { MergeDrawer } from '../components/MergeDrawer';
import { MergeHistory } from '../components/MergeHistory';
import { formatCount } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { useCan } from '../session';

const PAGE_SIZE = 20;
type LevelFilter = DuplicateLevel | 'all';

/** A group's key: its members' codes (the finder lists members by ascending id). */
const groupKey = (group: DuplicateGroup) => group.members.map((member) => member.code).join(',');

/** 重复客户 / Duplicates: groups the duplicate finder suggests, merging one, and the merge history. */
export function DuplicatesPage() {
  const { t } = useT();
  const can = useCan();
  const notify = useNotify();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'merges' ? 'merges' : 'groups';
  const [level, setLevel] = useState<LevelFilter>('all');
  const [page, setPage] = useState(1);
  const [report, setReport] = useState<DuplicateReport | null>(null);
  const [loading, setLoading] = useState(true);
  const [merging, setMerging] = useState<DuplicateGroup | null>(null);
  const [changes, setChanges] = useState(0);
  const changed = useCallback(() => setChanges((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    duplicatesApi
      .find(
        { level: level === 'all' ? undefined : level, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        controller.signal,
      )
      .then(setReport)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notify.error(cause, 'common.loadFailed');
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [level, page, notify, changes]);

  const columns: TableColumnsType<DuplicateGroup> = [
    {
      key: 'level',
      title: t('dup.level'),
      width: 110,
      render: (_, group) => (
        <Tag color={group.level === 'duplicate' ? 'red' : 'orange'}>{t(`dup.level.${group.level}`)}</Tag>
      ),
    },
    {
      key: 'members',
      title: t('dup.members'),
      render: (_, group) => (
        <Flex vertical gap={2}>
          {group.members.map((member) => (
            <Flex key={member.id} gap={8} align="center" wrap>
              <Link to={`/customers/${member.id}`}>{member.code}</Link>
              <span>{member.name}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('imports.possible.owner', { owner: member.owner ?? t('imports.possible.noOwner') })}
              </Typography.Text>
            </Flex>
          ))}
        </Flex>
      ),
    },
    {
      key: 'matches',
      title: t('dup.matches'),
      render: (_, group) => (
        <Flex vertical gap={4}>
          {group.matches.map((match, index) => (
            <MatchText key={`${match.kind}-${index}`} match={match} />
          ))}
        </Flex>
      ),
    },
    ...(can('customers.delete')
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_: unknown, group: DuplicateGroup) => (
              <Button
                size="small"
                type="primary"
                ghost
                icon={<MergeCellsOutlined />}
                onClick={() => setMerging(group)}
                data-testid="group-merge"
              >
                {t('dup.merge')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const counts = report?.counts;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('dup.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('dup.intro')}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'merges' ? { tab: 'merges' } : {}, { replace: true })}
        items={[
          {
            key: 'groups',
            label: <span data-testid="dup-tab-groups">{t('dup.tab.groups')}</span>,
            children: (
              <Flex vertical gap={12}>
                <Flex justify="space-between" align="center" wrap gap={8}>
                  <Segmented<LevelFilter>
                    value={level}
                    onChange={(value) => {
                      setLevel(value);
                      setPage(1);
                    }}
                    options={[
                      {
                        value: 'all',
                        label: t('dup.level.all', {
                          n: counts ? formatCount(counts.duplicate + counts.possible) : '…',
                        }),
                      },
                      {
                        value: 'duplicate',
                        label: t('dup.level.duplicateCount', {
                          n: counts ? formatCount(counts.duplicate) : '…',
                        }),
                      },
                      {
                        value: 'possible',
                        label: t('dup.level.possibleCount', {
                          n: counts ? formatCount(counts.possible) : '…',
                        }),
                      },
                    ]}
                    data-testid="dup-level"
                  />
                  <Button icon={<ReloadOutlined />} onClick={changed} loading={loading}>
                    {t('imports.history.refresh')}
                  </Button>
                </Flex>
                <Typography.Text type="secondary">{t('dup.levelHint')}</Typography.Text>
                <Table<DuplicateGroup>
                  rowKey={groupKey}
                  size="middle"
                  columns={columns}
                  dataSource={report?.groups ?? []}
                  loading={loading}
                  scroll={{ x: 'max-content' }}
                  pagination={{
                    current: page,
                    pageSize: PAGE_SIZE,
                    total: report?.total ?? 0,
                    showSizeChanger: false,
                    hideOnSinglePage: true,
                    onChange: setPage,
                  }}
                  locale={{ emptyText: t('dup.empty') }}
                  data-testid="dup-groups"
                />
              </Flex>
            ),
          },
          {
            key: 'merges',
            label: <span data-testid="dup-tab-merges">{t('dup.tab.merges')}</span>,
            children: <MergeHistory reloadKey={changes} onChanged={changed} />,
          },
        ]}
      />
      <MergeDrawer group={merging} onClose={() => setMerging(null)} onMerged={changed} />
    </Flex>
  );
}

/** One thing the customers share, in words. */
function MatchText({ match }: { match: DuplicateMatch }) {
  const { t } = useT();
  const via = match.viaContact && match.viaContact.length > 0;
  return (
    <Flex gap={6} align="center" wrap>
      <Tag style={{ marginInlineEnd: 0 }}>{t(`dup.match.${match.kind}`)}</Tag>
      {match.key && <Typography.Text code>{match.key}</Typography.Text>}
      {match.distance !== undefined && (
        <Typography.Text type="secondary">{t('dup.distance', { n: match.distance })}</Typography.Text>
      )}
      <Typography.Text type="secondary">{match.customers.join(t('imports.listSeparator'))}</Typography.Text>
      {via && (
        <Typography.Text type="secondary">
          {t('dup.viaContact', { codes: (match.viaContact ?? []).join(t('imports.listSeparator')) })}
        </Typography.Text>
      )}
    </Flex>
  );
}
