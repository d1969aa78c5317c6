import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Select, Space, Typography } from 'antd';
import { useT } from '../i18n';
import { PAGE_SIZES } from '../list-query';

interface Props {
  page: number;
  total: number | undefined;
  limit: number;
  hasNext: boolean;
  loading: boolean;
  onPrev: () => void;
  onNext: () => void;
  onLimitChange: (limit: number) => void;
}

/** Keyset paging: the server hands out a cursor for the next page only, so there are no page numbers to jump to. */
export function CursorPager({ page, total, limit, hasNext, loading, onPrev, onNext, onLimitChange }: Props) {
  const { t } = useT();
  return (
    <Space wrap style={{ width: '100%', justifyContent: 'space-between', marginTop: 16 }}>
      <Typography.Text type="secondary" data-testid="customer-total">
        {total === undefined ? '' : t('list.total', { total })}
      </Typography.Text>
      <Space wrap>
        <Button
          icon={<LeftOutlined />}
          disabled={page <= 1 || loading}
          onClick={onPrev}
          data-testid="page-prev"
        >
          {t('list.prev')}
        </Button>
        <Typography.Text data-testid="page-number">{t('list.pageNo', { page })}</Typography.Text>
        <Button disabled={!hasNext || loading} onClick={onNext} data-testid="page-next">
          {t('list.next')} <RightOutlined />
        </Button>
        <Select
          data-testid="page-size"
          value={limit}
          onChange={onLimitChange}
          options={PAGE_SIZES.map((size) => ({ value: size, label: t('list.pageSize', { size }) }))}
          style={{ width: 120 }}
        />
      </Space>
    </Space>
  );
}
