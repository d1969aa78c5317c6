import { Card, Col, Row, Statistic } from 'antd';
import { formatMoney, orDash } from '../format';
import { useT } from '../i18n';
import type { Customer } from '../types';

/** Purchase figures the server derives from the transactions (read-only). */
export function CustomerStats({ customer }: { customer: Customer }) {
  const { t, lang } = useT();
  const stats = [
    { key: 'totalSpent', title: t('field.totalSpent'), value: formatMoney(customer.totalSpent, lang) },
    { key: 'orderCount', title: t('field.orderCount'), value: String(customer.orderCount ?? 0) },
    {
      key: 'averageOrderValue',
      title: t('field.averageOrderValue'),
      value: formatMoney(customer.averageOrderValue, lang),
    },
    { key: 'lastPurchaseOn', title: t('field.lastPurchaseOn'), value: orDash(customer.lastPurchaseOn) },
  ];
  return (
    <Card size="small">
      <Row gutter={[16, 16]}>
        {stats.map((s) => (
          <Col key={s.key} xs={12} md={6}>
            <Statistic title={s.title} value={s.value} data-testid={`stat-${s.key}`} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
