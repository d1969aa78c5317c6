import { DatabaseOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { useCan } from '../session';

interface Props {
  /** True when a search or filter is active: then "nothing matches", not "nothing yet". */
  filtered: boolean;
  onClear: () => void;
  /** Called after the demo data set was loaded, to show it. */
  onDemoLoaded: () => void;
}

export function EmptyCustomers({ filtered, onClear, onDemoLoaded }: Props) {
  const { t } = useT();
  const can = useCan();
  const navigate = useNavigate();
  const notify = useNotify();
  const [loadingDemo, setLoadingDemo] = useState(false);
  const loadDemo = () => {
    setLoadingDemo(true);
    api
      .loadDemo()
      .then(() => {
        notify.success('list.demoLoaded');
        onDemoLoaded();
      })
      .catch((cause: unknown) => notify.error(cause, 'common.loadFailed'))
      .finally(() => setLoadingDemo(false));
  };
  if (filtered) {
    return (
      <Empty description={t('list.noMatch')} data-testid="customer-empty">
        <Button onClick={onClear}>{t('list.clearFilters')}</Button>
      </Empty>
    );
  }
  const mayLoadDemo = can('demo.load');
  const mayCreate = can('customers.write');
  if (!mayLoadDemo) {
    return (
      <Empty
        data-testid="customer-empty"
        description={
          <>
            <Typography.Title level={5}>{t('list.emptyTitle')}</Typography.Title>
            <Typography.Paragraph type="secondary">
              {t(mayCreate ? 'list.emptyHintCreate' : 'list.emptyHintReadOnly')}
            </Typography.Paragraph>
          </>
        }
      >
        {mayCreate && (
          <Button
            icon={<PlusOutlined />}
            onClick={() => navigate('/customers/new')}
            data-testid="customer-empty-new"
          >
            {t('list.new')}
          </Button>
        )}
      </Empty>
    );
  }
  const [before, after] = t('list.emptyHint', { cmd: '\u0000' }).split('\u0000');
  return (
    <Empty
      data-testid="customer-empty"
      description={
        <>
          <Typography.Title level={5}>{t('list.emptyTitle')}</Typography.Title>
          <Typography.Paragraph type="secondary">
            {before}
            <Typography.Text code copyable>
              npx clientele demo
            </Typography.Text>
            {after}
          </Typography.Paragraph>
        </>
      }
    >
      <Space>
        <Button
          type="primary"
          icon={<DatabaseOutlined />}
          loading={loadingDemo}
          onClick={loadDemo}
          data-testid="customer-load-demo"
        >
          {t('list.loadDemo')}
        </Button>
        {mayCreate && (
          <Button
            icon={<PlusOutlined />}
            onClick={() => navigate('/customers/new')}
            data-testid="customer-empty-new"
          >
            {t('list.new')}
          </Button>
        )}
      </Space>
    </Empty>
  );
}
