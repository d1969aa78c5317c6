import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Select, Space, Tooltip, Typography } from 'antd';
import { formatCount } from '../format';
import { useT } from '../i18n';
import { PAGE_SIZES } from '../list-query';

interface Props {
  page: number;
  total: number | undefined;
  /** False when the server stopped counting at `total` ("5,000+"). */
  totalIsExact?: boolean;
  /** Asks for the exact total; offered while the total is not exact. */
  onCountExactly?: () => void;
  limit: number;
  hasNext: boolean;
  loading: boolean;
  onPrev: () => void;
  onNext: () => void;
  onLimitChange: (limit: number) => void;
}

/** Keyset paging: the server hands out a cursor for the next page only, so there are no page numbers to jump to. */
export function CursorPager({
  page,
  total,
  totalIsExact,
  onCountExactly,
  limit,
  hasNext,
  loading,
  onPrev,
  onNext,
  onLimitChange,
}: Props) {
  const { t } = useT();
  const atLeast = total !== undefined && totalIsExact === false;
  return (
    <Space wrap style={{ width: '100%', justifyContent: 'space-between', marginTop: 16 }}>
      <Space size={4}>
        <Typography.Text type="secondary" data-testid="customer-total">
          {total === undefined
            ? ''
            : t(atLeast ? 'list.totalAtLeast' : 'list.total', { total: formatCount(total) })}
        </Typography.Text>
        {atLeast && onCountExactly && (
          <Tooltip title={t('list.countExactlyHint', { total: formatCount(total) })}>
            <Button
              type="link"
              size="small"
              loading={loading}
              onClick={onCountExactly}
              data-testid="count-exactly"
            >
              {t('list.countExactly')}
            </Button>
          </Tooltip>
        )}
      </Space>
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
