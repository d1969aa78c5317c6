import { Button, Result, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { ApiError, request } from '../api';
import { useT } from '../i18n';
import type { Customer } from '../types';

/** `/customers/by-code/:code` — reports name customers by their number; this opens the customer. */
export function CustomerByCodePage() {
  const { code = '' } = useParams();
  const { t } = useT();
  const navigate = useNavigate();
  const [id, setId] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    setId(null);
    setError(null);
    request<Customer>(`/customers/by-code/${encodeURIComponent(code)}`, { signal: controller.signal })
      .then((customer) => setId(customer.id))
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(cause);
      });
    return () => controller.abort();
  }, [code]);

  if (id !== null) return <Navigate to={`/customers/${id}`} replace />;
  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('detail.notFound') : t('common.loadFailed')}
        subTitle={code}
        extra={
          <Button type="primary" onClick={() => navigate('/customers')}>
            {t('detail.backToList')}
          </Button>
        }
      />
    );
  }
  return <Skeleton active paragraph={{ rows: 6 }} />;
}
