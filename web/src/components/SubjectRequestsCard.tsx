import { DeleteOutlined, DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { testId } from '../test-id';

interface Props {
  customerId: number;
  /** Called after an erasure: the page reloads the (now anonymised) customer. */
  onErased: () => void;
}

/** Data-subject requests (PIPL): a copy of everything about the customer, or erasure. */
export function SubjectRequestsCard({ customerId, onErased }: Props) {
  const { t } = useT();
  const notify = useNotify();
  const [erasing, setErasing] = useState(false);

  const erase = async () => {
    setErasing(true);
    try {
      await api.eraseCustomer(customerId);
      notify.success('dsr.erased');
      onErased();
    } catch (cause) {
      notify.error(cause);
    } finally {
      setErasing(false);
    }
  };

  return (
    <Card size="small" title={t('dsr.title')} data-testid="dsr-card">
      <Flex vertical gap={8}>
        <Flex wrap gap={8}>
          <Button
            icon={<DownloadOutlined />}
            href={api.dataExportUrl(customerId, 'json')}
            download={`customer-${customerId}.json`}
            data-testid="dsr-export-json"
          >
            {t('dsr.exportJson')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            href={api.dataExportUrl(customerId, 'xlsx')}
            download={`customer-${customerId}.xlsx`}
            data-testid="dsr-export-xlsx"
          >
            {t('dsr.exportXlsx')}
          </Button>
          <Popconfirm
            title={t('dsr.eraseTitle')}
            description={<div style={{ maxWidth: 320 }}>{t('dsr.eraseBody')}</div>}
            okText={t('dsr.erase')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, ...testId('dsr-erase-confirm') }}
            onConfirm={erase}
          >
            <Button danger icon={<DeleteOutlined />} loading={erasing} data-testid="dsr-erase">
              {t('dsr.erase')}
            </Button>
          </Popconfirm>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('dsr.hint')}
        </Typography.Text>
      </Flex>
    </Card>
  );
}
