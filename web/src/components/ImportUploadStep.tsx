import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, Radio, Typography, Upload } from 'antd';
import { IMPORT_KINDS, type ImportKind, importsApi } from '../api-imports';
import { useT } from '../i18n';

interface Props {
  kind: ImportKind;
  onKind: (kind: ImportKind) => void;
  file: File | null;
  onFile: (file: File | null) => void;
  sheet: string;
  onSheet: (sheet: string) => void;
}

/** Step 1: what to import, the file, and optionally the sheet. */
export function ImportUploadStep({ kind, onKind, file, onFile, sheet, onSheet }: Props) {
  const { t } = useT();
  return (
    <Form layout="vertical" style={{ maxWidth: 720 }}>
      <Form.Item label={t('imports.kind')}>
        <Radio.Group
          value={kind}
          onChange={(event) => onKind(event.target.value as ImportKind)}
          optionType="button"
          buttonStyle="solid"
          options={IMPORT_KINDS.map((value) => ({ value, label: t(`imports.kind.${value}`) }))}
          data-testid="import-kind"
        />
      </Form.Item>
      <Form.Item label={t('imports.file')} extra={t('imports.fileHint')}>
        <div data-testid="import-upload">
          <Upload.Dragger
            accept=".xlsx,.csv,.txt,.tsv"
            multiple={false}
            maxCount={1}
            beforeUpload={(chosen) => {
              // Kept in the page: the file goes to the server as the body of each dry run and the import.
              onFile(chosen);
              return false;
            }}
            onRemove={() => onFile(null)}
            fileList={file ? [{ uid: 'file', name: file.name, size: file.size, status: 'done' }] : []}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('imports.drop')}</p>
            <p className="ant-upload-hint">{t('imports.dropHint')}</p>
          </Upload.Dragger>
        </div>
      </Form.Item>
      <Form.Item label={t('imports.sheet')} extra={t('imports.sheetHint')}>
        <Input
          value={sheet}
          onChange={(event) => onSheet(event.target.value)}
          placeholder={t('imports.sheetPlaceholder')}
          allowClear
          style={{ maxWidth: 320 }}
          data-testid="import-sheet"
        />
      </Form.Item>
      {kind === 'customers' ? (
        <Flex align="center" gap={8} wrap>
          <Button icon={<DownloadOutlined />} href={importsApi.templateUrl} data-testid="import-template">
            {t('imports.template')}
          </Button>
          <Typography.Text type="secondary">{t('imports.templateHint')}</Typography.Text>
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('imports.transactionsHint')}</Typography.Text>
      )}
    </Form>
  );
}
