import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Flex,
  Row,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  theme,
} from 'antd';
import { Link } from 'react-router';
import type { ImportInvalidCell, ImportKind, ImportReport, PossibleDuplicate } from '../api-imports';
import { formatCount } from '../format';
import { type MessageKey, pickBilingual, useT } from '../i18n';
import { invalidRowCount } from '../import-mapping';
import { useImportFieldLabel } from './ImportMappingStep';

interface Props {
  kind: ImportKind;
  report: ImportReport;
  errorReport: string | null;
  /** Counts of a dry run are what an import would do; of a commit, what it did. */
  dryRun: boolean;
}

type InvalidRow = ImportInvalidCell & { key: string };

/** Counts, invalid rows and possible duplicates of a dry run or an import. */
export function ImportReportView({ kind, report, errorReport, dryRun }: Props) {
  const { t } = useT();
  const { token } = theme.useToken();
  const invalidRows = invalidRowCount(report.invalid);
  const stats: { key: string; title: MessageKey; value: number; warn?: boolean }[] = [
    { key: 'rows', title: 'imports.count.rows', value: report.rows },
    { key: 'valid', title: 'imports.count.valid', value: report.valid },
    { key: 'invalid', title: 'imports.count.invalid', value: invalidRows, warn: invalidRows > 0 },
    { key: 'created', title: 'imports.count.created', value: report.created },
    { key: 'updated', title: 'imports.count.updated', value: report.updated },
    { key: 'skipped', title: 'imports.count.skipped', value: report.skipped },
    { key: 'in-file', title: 'imports.count.inFile', value: report.duplicates.inFile },
    { key: 'existing', title: 'imports.count.existing', value: report.duplicates.existing },
  ];
  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary">
        {dryRun ? t('imports.report.dryRunNote') : t('imports.report.committedNote')}
      </Typography.Text>
      <Row gutter={[16, 16]} data-testid="import-counts">
        {stats.map((stat) => (
          <Col key={stat.key} xs={12} sm={8} lg={6} xl={3}>
            <Card size="small">
              <Statistic
                title={t(stat.title)}
                value={formatCount(stat.value)}
                styles={stat.warn ? { content: { color: token.colorError } } : undefined}
                data-testid={`import-count-${stat.key}`}
                data-value={stat.value}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <InvalidCells kind={kind} invalid={report.invalid} errorReport={errorReport} />
      {kind === 'customers' && <PossibleDuplicates items={report.possibleDuplicates} />}
    </Flex>
  );
}

function InvalidCells({
  kind,
  invalid,
  errorReport,
}: {
  kind: ImportKind;
  invalid: ImportInvalidCell[];
  errorReport: string | null;
}) {
  const { t, lang } = useT();
  const label = useImportFieldLabel(kind);
  const rows: InvalidRow[] = invalid.map((cell, index) => ({
    ...cell,
    key: `${cell.row}-${cell.field}-${index}`,
  }));
  const columns: TableColumnsType<InvalidRow> = [
    { key: 'row', title: t('imports.invalid.row'), dataIndex: 'row', width: 80 },
    {
      key: 'column',
      title: t('imports.invalid.column'),
      render: (_, cell) => (
        <Flex vertical>
          <span>{cell.column || '—'}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {label(cell.field)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'value',
      title: t('imports.invalid.value'),
      render: (_, cell) =>
        cell.value === '' ? <Typography.Text type="secondary">—</Typography.Text> : cell.value,
    },
    {
      key: 'message',
      title: t('imports.invalid.message'),
      render: (_, cell) => (
        <Typography.Text type="danger">{pickBilingual(cell.message, lang)}</Typography.Text>
      ),
    },
  ];
  return (
    <Card
      size="small"
      title={t('imports.invalid.title', { n: formatCount(invalidRowCount(invalid)) })}
      extra={
        errorReport && (
          <Button
            size="small"
            icon={<DownloadOutlined />}
            href={errorReport}
            data-testid="import-error-report"
          >
            {t('imports.invalid.download')}
          </Button>
        )
      }
    >
      {invalid.length === 0 ? (
        <Alert type="success" showIcon title={t('imports.invalid.none')} data-testid="import-invalid-none" />
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('imports.invalid.hint')}</Typography.Text>
          <Table<InvalidRow>
            rowKey="key"
            size="small"
            columns={columns}
            dataSource={rows}
            pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            data-testid="import-invalid-table"
          />
        </Flex>
      )}
    </Card>
  );
}

function PossibleDuplicates({ items }: { items: PossibleDuplicate[] }) {
  const { t } = useT();
  const columns: TableColumnsType<PossibleDuplicate> = [
    { key: 'row', title: t('imports.invalid.row'), dataIndex: 'row', width: 80 },
    { key: 'name', title: t('imports.possible.name'), dataIndex: 'name' },
    {
      key: 'similar',
      title: t('imports.possible.similarTo'),
      render: (_, item) => (
        <Flex vertical gap={4}>
          {item.similarTo.map((other) =>
            'code' in other ? (
              <Flex key={`c-${other.code}`} gap={8} align="center" wrap>
                <Link to={`/customers/by-code/${encodeURIComponent(other.code)}`} data-testid="possible-code">
                  {other.code}
                </Link>
                <span>{other.name}</span>
                <Tag style={{ marginInlineEnd: 0 }}>
                  {t('imports.possible.owner', { owner: other.owner ?? t('imports.possible.noOwner') })}
                </Tag>
              </Flex>
            ) : (
              <Flex key={`r-${other.row}`} gap={8} align="center" wrap>
                <Tag color="purple" style={{ marginInlineEnd: 0 }}>
                  {t('imports.possible.inFile', { row: other.row })}
                </Tag>
                <span>{other.name}</span>
              </Flex>
            ),
          )}
        </Flex>
      ),
    },
  ];
  return (
    <Card size="small" title={t('imports.possible.title', { n: formatCount(items.length) })}>
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('imports.possible.none')}</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('imports.possible.hint')}</Typography.Text>
          <Table<PossibleDuplicate>
            rowKey="row"
            size="small"
            columns={columns}
            dataSource={items}
            pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            data-testid="import-possible-table"
          />
        </Flex>
      )}
    </Card>
  );
}
