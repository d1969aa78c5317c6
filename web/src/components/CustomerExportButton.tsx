import { DownloadOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Popover, Radio, Typography } from 'antd';
import { useState } from 'react';
import type { Query } from '../api';
import {
  customerExportUrl,
  type ExportEncoding,
  type ExportFormat,
  type ExportHeaders,
} from '../api-imports';
import { useT } from '../i18n';

interface Props {
  /** The list's query: its filters, search and sort go into the file. */
  query: Query;
  /** The list shows a search or filters (the file then holds only the matches). */
  filtered: boolean;
}

/** Downloads the customers the list shows (every page) as xlsx or CSV. */
export function CustomerExportButton({ query, filtered }: Props) {
  const { t, lang } = useT();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [encoding, setEncoding] = useState<ExportEncoding>('utf-8');
  const [headers, setHeaders] = useState<ExportHeaders>(lang === 'zh-CN' ? 'zh' : 'en');
  const href = customerExportUrl(query, { format, encoding, headers });

  const content = (
    <Form layout="vertical" style={{ width: 320 }} data-testid="export-form">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {filtered ? t('export.filtered') : t('export.all')}
      </Typography.Paragraph>
      <Form.Item label={t('export.format')} style={{ marginBottom: 12 }}>
        <Radio.Group
          value={format}
          onChange={(event) => setFormat(event.target.value as ExportFormat)}
          optionType="button"
          options={[
            { value: 'xlsx', label: 'Excel (.xlsx)' },
            { value: 'csv', label: 'CSV' },
          ]}
          data-testid="export-format"
        />
      </Form.Item>
      {format === 'csv' && (
        <Form.Item label={t('export.encoding')} extra={t('export.encodingHint')} style={{ marginBottom: 12 }}>
          <Radio.Group
            value={encoding}
            onChange={(event) => setEncoding(event.target.value as ExportEncoding)}
            optionType="button"
            options={[
              { value: 'utf-8', label: 'UTF-8' },
              { value: 'gbk', label: 'GBK' },
            ]}
            data-testid="export-encoding"
          />
        </Form.Item>
      )}
      <Form.Item label={t('export.headers')} extra={t('export.headersHint')} style={{ marginBottom: 12 }}>
        <Radio.Group
          value={headers}
          onChange={(event) => setHeaders(event.target.value as ExportHeaders)}
          optionType="button"
          options={[
            { value: 'zh', label: t('export.headers.zh') },
            { value: 'en', label: t('export.headers.en') },
            { value: 'api', label: t('export.headers.api') },
          ]}
          data-testid="export-headers"
        />
      </Form.Item>
      <Flex justify="end">
        <Button
          type="primary"
          icon={<DownloadOutlined />}
          href={href}
          onClick={() => setOpen(false)}
          data-testid="export-download"
        >
          {t('export.download')}
        </Button>
      </Flex>
    </Form>
  );

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={t('export.title')}
      content={content}
    >
      <Button icon={<DownloadOutlined />} data-testid="customer-export">
        {t('export.button')}
      </Button>
    </Popover>
  );
}
