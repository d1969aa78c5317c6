import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Flex, Result, Skeleton } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../api';
import { ConsentsCard } from '../components/ConsentsCard';
import { ContactsCard } from '../components/ContactsCard';
import { CustomerDescriptions } from '../components/CustomerDescriptions';
import { CustomerHeader } from '../components/CustomerHeader';
import { CustomerStats } from '../components/CustomerStats';
import { OwnerCard } from '../components/OwnerCard';
import { SubjectRequestsCard } from '../components/SubjectRequestsCard';
import { TiersCard } from '../components/TiersCard';
import { TransactionsCard } from '../components/TransactionsCard';
import { useT } from '../i18n';
import { useCan } from '../session';
import type { Customer } from '../types';

export function CustomerDetailPage() {
  const { id = '' } = useParams();
  const { t } = useT();
  const can = useCan();
  const navigate = useNavigate();
  const location = useLocation();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    (signal?: AbortSignal) => {
      api
        .getCustomer(id, signal)
        .then((value) => {
          setCustomer(value);
          setError(null);
        })
        .catch((cause: unknown) => {
          if (!signal?.aborted) setError(cause);
        });
    },
    [id],
  );
  useEffect(() => {
    const controller = new AbortController();
    setCustomer(null);
    load(controller.signal);
    return () => controller.abort();
  }, [load]);
  const reload = useCallback(() => load(), [load]);

  // Back keeps the list's filters and page; a link opened directly has no history to go back to.
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      onClick={() => (location.key === 'default' ? navigate('/customers') : navigate(-1))}
      style={{ paddingInline: 0 }}
    >
      {t('common.back')}
    </Button>
  );

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('detail.notFound') : t('common.loadFailed')}
        subTitle={!missing && error instanceof Error ? error.message : undefined}
        extra={
          <Flex gap={8} justify="center">
            {!missing && <Button onClick={reload}>{t('common.retry')}</Button>}
            <Button type="primary" onClick={() => navigate('/customers')}>
              {t('detail.backToList')}
            </Button>
          </Flex>
        }
      />
    );
  }
  if (!customer) return <Skeleton active paragraph={{ rows: 12 }} />;

  return (
    <Flex vertical gap={16}>
      <div>{back}</div>
      <CustomerHeader customer={customer} />
      <CustomerStats customer={customer} />
      <CustomerDescriptions customer={customer} />
      <ContactsCard customerId={customer.id} />
      <TransactionsCard customerId={customer.id} onChanged={reload} />
      {can('tiers.read') && <TiersCard customerId={customer.id} />}
      <OwnerCard customer={customer} onChanged={reload} />
      <ConsentsCard customerId={customer.id} version={customer.version} />
      {can('subject-requests.run') && <SubjectRequestsCard customerId={customer.id} onErased={reload} />}
    </Flex>
  );
}
