import { AuditOutlined, CrownFilled, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { App, Button, Flex, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../api';
import { formatDateTime } from '../format';
import { useT } from '../i18n';
import { useEnums } from '../meta';
import { useNotify } from '../notify';
import { useCan } from '../session';
import type { Customer } from '../types';
import { EnumTag } from './EnumTag';
import { TagList } from './TagList';

export function CustomerHeader({ customer }: { customer: Customer }) {
  const { t } = useT();
  const can = useCan();
  const enums = useEnums();
  const { modal } = App.useApp();
  const notify = useNotify();
  const navigate = useNavigate();

  const confirmDelete = () => {
    modal.confirm({
      title: t('detail.deleteTitle', { name: customer.name }),
      content: t('detail.deleteBody'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.deleteCustomer(customer.id);
          notify.success('common.deleted');
          navigate('/customers', { replace: true });
        } catch (cause) {
          notify.error(cause);
        }
      },
    });
  };

  return (
    <Flex justify="space-between" align="flex-start" wrap gap={16}>
      <Flex vertical gap={8}>
        <Space align="center" wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-name">
            {customer.name}
          </Typography.Title>
          {customer.vip && <CrownFilled style={{ color: '#faad14', fontSize: 20 }} aria-label="VIP" />}
          <Typography.Text type="secondary" copyable data-testid="customer-code">
            {customer.code}
          </Typography.Text>
        </Space>
        <Space wrap size={[4, 4]}>
          {customer.type && <Typography.Text>{enums.label('type', customer.type)}</Typography.Text>}
          <EnumTag name="stage" value={customer.stage} data-testid="customer-stage" />
          <EnumTag name="status" value={customer.status} data-testid="customer-status" />
          <TagList tags={customer.tags} />
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('field.createdAt')} {formatDateTime(customer.createdAt)} · {t('field.updatedAt')}{' '}
          {formatDateTime(customer.updatedAt)}
          {customer.owner && (
            <>
              {' · '}
              {t('field.owner')} <span data-testid="customer-owner">{customer.owner}</span>
            </>
          )}
        </Typography.Text>
      </Flex>
      <Space wrap>
        {can('audit.read') && (
          <Button
            icon={<AuditOutlined />}
            onClick={() => navigate(`/audit?customerId=${customer.id}`)}
            data-testid="customer-audit"
          >
            {t('audit.viewForCustomer')}
          </Button>
        )}
        {can('customers.write') && (
          <Button
            icon={<EditOutlined />}
            onClick={() => navigate(`/customers/${customer.id}/edit`)}
            data-testid="customer-edit"
          >
            {t('common.edit')}
          </Button>
        )}
        {can('customers.delete') && (
          <Button danger icon={<DeleteOutlined />} onClick={confirmDelete} data-testid="customer-delete">
            {t('common.delete')}
          </Button>
        )}
      </Space>
    </Flex>
  );
}
