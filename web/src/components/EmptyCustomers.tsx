import { PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../i18n';

interface Props {
  /** True when a search or filter is active: then "nothing matches", not "nothing yet". */
  filtered: boolean;
  onClear: () => void;
}

export function EmptyCustomers({ filtered, onClear }: Props) {
  const { t } = useT();
  const navigate = useNavigate();
  if (filtered) {
    return (
      <Empty description={t('list.noMatch')} data-testid="customer-empty">
        <Button onClick={onClear}>{t('list.clearFilters')}</Button>
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
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => navigate('/customers/new')}
        data-testid="customer-empty-new"
      >
        {t('list.new')}
      </Button>
    </Empty>
  );
}
