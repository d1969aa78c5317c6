import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Flex,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  theme,
  Upload,
} from 'antd';
import { useMemo } from 'react';
import type { ColumnMapping, ImportKind, ImportTable } from '../api-imports';
import { fieldLabelKey, type LabelledField } from '../customer-fields';
import { type MessageKey, useT } from '../i18n';
import {
  CUSTOMER_IMPORT_FIELDS,
  type MappedColumn,
  parseMapping,
  TRANSACTION_FIELDS,
} from '../import-mapping';
import { useCustomFields } from '../meta';

/** The Select's value for "leave this column out" (a Select cannot hold null). */
const IGNORE = '__ignore__';

interface Props {
  kind: ImportKind;
  table: ImportTable | null;
  columns: MappedColumn[];
  missing: string[];
  running: boolean;
  onChoose: (header: string, field: string | null) => void;
  onDownload: () => void;
  onLoad: (mapping: ColumnMapping) => void;
}

/** A field's label in the UI language: standard, transaction or custom field. */
export function useImportFieldLabel(kind: ImportKind): (field: string) => string {
  const { t, pick } = useT();
  const customFields = useCustomFields();
  return useMemo(
    () => (field: string) => {
      if (field.startsWith('custom.')) {
        const def = customFields.find((item) => `custom.${item.key}` === field);
        return def ? pick(def.labelZh, def.labelEn) : field;
      }
      if (kind === 'transactions') {
        return (TRANSACTION_FIELDS as readonly string[]).includes(field)
          ? t(`imports.txField.${field}` as MessageKey)
          : field;
      }
      return CUSTOMER_IMPORT_FIELDS.includes(field) ? t(fieldLabelKey(field as LabelledField)) : field;
    },
    [kind, customFields, t, pick],
  );
}

/** Step 2: the file's columns and the field each one feeds; changing one runs the dry run again. */
export function ImportMappingStep({
  kind,
  table,
  columns,
  missing,
  running,
  onChoose,
  onDownload,
  onLoad,
}: Props) {
  const { t } = useT();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const customFields = useCustomFields();
  const label = useImportFieldLabel(kind);

  const options = useMemo(() => {
    const ignore = { value: IGNORE, label: t('imports.mapping.ignore') };
    if (kind === 'transactions') {
      return [ignore, ...TRANSACTION_FIELDS.map((field) => ({ value: field, label: label(field) }))];
    }
    const standard = CUSTOMER_IMPORT_FIELDS.map((field) => ({ value: field, label: label(field) }));
    const custom = customFields.map((def) => ({
      value: `custom.${def.key}`,
      label: label(`custom.${def.key}`),
    }));
    return [
      ignore,
      { label: t('imports.mapping.standardFields'), options: standard },
      ...(custom.length > 0 ? [{ label: t('imports.mapping.customFields'), options: custom }] : []),
    ];
  }, [kind, customFields, label, t]);

  const columnsDef: TableColumnsType<MappedColumn> = [
    {
      key: 'index',
      title: t('imports.mapping.column'),
      width: 80,
      render: (_, column) => columnLetter(column.index),
    },
    {
      key: 'header',
      title: t('imports.mapping.header'),
      render: (_, column) =>
        column.header.trim() === '' ? (
          <Typography.Text type="secondary">{t('imports.mapping.emptyHeader')}</Typography.Text>
        ) : (
          <Typography.Text strong>{column.header}</Typography.Text>
        ),
    },
    {
      key: 'field',
      title: t('imports.mapping.field'),
      width: 280,
      render: (_, column) => (
        <Select
          value={column.field === undefined ? undefined : (column.field ?? IGNORE)}
          placeholder={t('imports.mapping.automatic')}
          disabled={column.header.trim() === '' || running}
          showSearch={{ optionFilterProp: 'label' }}
          options={options}
          onChange={(value: string) => onChoose(column.header, value === IGNORE ? null : value)}
          style={{ width: '100%' }}
          aria-label={t('imports.mapping.fieldOf', { header: column.header })}
          data-testid={`mapping-field-${column.index}`}
        />
      ),
    },
    {
      key: 'state',
      title: t('imports.mapping.state'),
      render: (_, column) => {
        if (column.unknown) return <Tag color="warning">{t('imports.mapping.unknown')}</Tag>;
        if (column.chosen) return <Tag color="blue">{t('imports.mapping.chosen')}</Tag>;
        if (column.field === undefined) return null;
        if (column.field === null) return <Tag>{t('imports.mapping.notImported')}</Tag>;
        return <Tag color="green">{t('imports.mapping.recognised')}</Tag>;
      },
    },
  ];

  const unknownCount = columns.filter((column) => column.unknown).length;

  return (
    <Flex vertical gap={16}>
      {table && (
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, sm: 2, lg: 4 }}
          data-testid="import-table-info"
          items={[
            { key: 'format', label: t('imports.table.format'), children: table.format },
            { key: 'encoding', label: t('imports.table.encoding'), children: table.encoding ?? '—' },
            { key: 'sheet', label: t('imports.table.sheet'), children: table.sheet ?? '—' },
            {
              key: 'headerRow',
              label: t('imports.table.headerRow'),
              children: <span data-testid="import-header-row">{table.headerRow}</span>,
            },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('imports.mapping.intro')}
      </Typography.Paragraph>
      {unknownCount > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('imports.mapping.unknownAlert', { n: unknownCount })}
          data-testid="import-unknown-alert"
        />
      )}
      {missing.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('imports.mapping.missing', {
            fields: missing.map(label).join(t('imports.listSeparator')),
          })}
          data-testid="import-missing-alert"
        />
      )}
      <Table<MappedColumn>
        rowKey="index"
        size="small"
        columns={columnsDef}
        dataSource={columns}
        pagination={false}
        loading={running}
        scroll={{ x: 'max-content' }}
        onRow={(column) => ({
          ...({ 'data-unknown': String(column.unknown) } as Record<string, string>),
          style: column.unknown ? { background: token.colorWarningBg } : undefined,
        })}
        data-testid="import-mapping-table"
      />
      <Flex gap={8} wrap>
        <Button
          icon={<DownloadOutlined />}
          onClick={onDownload}
          disabled={columns.length === 0}
          data-testid="import-mapping-download"
        >
          {t('imports.mapping.download')}
        </Button>
        <Upload
          accept=".json,application/json"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then((text) => {
              const mapping = parseMapping(text);
              if (mapping) onLoad(mapping);
              else void message.error(t('imports.mapping.loadInvalid'));
            });
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} disabled={running} data-testid="import-mapping-load">
            {t('imports.mapping.load')}
          </Button>
        </Upload>
      </Flex>
    </Flex>
  );
}

/** Spreadsheet column letters: 0 → A, 26 → AA. */
function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
