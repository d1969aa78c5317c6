import { DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import { DATE_FORMAT } from '../format';
import { useT } from '../i18n';
import type { CustomFieldDef } from '../types';

interface Props {
  def: CustomFieldDef;
  /** Injected by Form.Item. */
  value?: unknown;
  onChange?: (value: unknown) => void;
  id?: string;
}

const FULL = { width: '100%' };

/** The control for one custom field, chosen by its definition's type. */
export function CustomFieldInput({ def, ...control }: Props) {
  const { pick } = useT();
  const testId = `custom-${def.key}`;
  const options = (def.options ?? []).map((o) => ({ value: o.value, label: pick(o.labelZh, o.labelEn) }));
  switch (def.type) {
    case 'number':
      return (
        <InputNumber
          {...control}
          value={control.value as number | undefined}
          data-testid={testId}
          style={FULL}
        />
      );
    case 'date':
      return <DatePicker {...control} data-testid={testId} format={DATE_FORMAT} style={FULL} />;
    case 'single_select':
      return (
        <Select
          {...control}
          value={control.value as string | undefined}
          data-testid={testId}
          allowClear
          options={options}
        />
      );
    case 'multi_select':
      return (
        <Select
          {...control}
          value={control.value as string[] | undefined}
          data-testid={testId}
          mode="multiple"
          allowClear
          options={options}
        />
      );
    case 'boolean':
      return (
        <Switch
          id={control.id}
          checked={Boolean(control.value)}
          onChange={control.onChange}
          data-testid={testId}
        />
      );
    default:
      return <Input {...control} value={control.value as string | undefined} data-testid={testId} />;
  }
}
