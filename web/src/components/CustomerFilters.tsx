import { Button, Select, Space } from 'antd';
import { fieldLabelKey } from '../customer-fields';
import { useT } from '../i18n';
import { FILTER_KEYS, type FilterKey } from '../list-query';
import { type LabelledOption, useEnums, useMeta } from '../meta';

interface Props {
  filters: Record<FilterKey, string[]>;
  onChange: (key: FilterKey, values: string[]) => void;
  onClear: (() => void) | null;
}

const ENUM_FILTERS = new Set<FilterKey>(['type', 'stage', 'status']);

function toOptions(values: readonly string[] | undefined): LabelledOption[] {
  return (values ?? []).map((value) => ({ value, label: value }));
}

/** Several values of one filter mean OR for enumerations and industry/province, AND for tags (server rule). */
export function CustomerFilters({ filters, onChange, onClear }: Props) {
  const { t } = useT();
  const enums = useEnums();
  const { meta } = useMeta();

  const optionsFor = (key: FilterKey): LabelledOption[] => {
    if (ENUM_FILTERS.has(key)) return enums.options(key);
    if (key === 'industry') return toOptions(meta?.suggestions.industry);
    return [];
  };

  return (
    <Space wrap>
      {FILTER_KEYS.map((key) => (
        <Select
          key={key}
          data-testid={`filter-${key}`}
          mode={ENUM_FILTERS.has(key) ? 'multiple' : 'tags'}
          allowClear
          maxTagCount="responsive"
          placeholder={key === 'tag' ? t('field.tags') : t(fieldLabelKey(key))}
          aria-label={key === 'tag' ? t('field.tags') : t(fieldLabelKey(key))}
          options={optionsFor(key)}
          value={filters[key]}
          onChange={(values: string[]) => onChange(key, values)}
          style={{ minWidth: 150, maxWidth: 260 }}
          notFoundContent={key === 'tag' || key === 'province' ? t('list.filterTagHint') : undefined}
        />
      ))}
      {onClear && (
        <Button type="link" onClick={onClear} data-testid="filter-clear">
          {t('list.clearFilters')}
        </Button>
      )}
    </Space>
  );
}
