import { AutoComplete, DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import type { FieldSpec } from '../customer-fields';
import { DATE_FORMAT } from '../format';
import { useEnums, useMeta } from '../meta';
import { OwnerInput } from './OwnerInput';

interface Props {
  spec: FieldSpec;
  /** Injected by Form.Item. */
  value?: unknown;
  onChange?: (value: unknown) => void;
  id?: string;
}

const FULL = { width: '100%' };
const THIS_YEAR = new Date().getFullYear();

/** The control for one standard customer field, chosen by its kind. Form.Item passes value/onChange. */
export function CustomerFieldInput({ spec, ...control }: Props) {
  const enums = useEnums();
  const { meta } = useMeta();
  const testId = `field-${spec.name}`;
  const kind = spec.type;
  switch (kind.kind) {
    case 'enum':
      return (
        <Select
          {...control}
          value={control.value as string | undefined}
          data-testid={testId}
          allowClear
          options={enums.options(kind.enumName)}
        />
      );
    case 'suggest':
      return (
        <AutoComplete
          {...control}
          value={control.value as string | undefined}
          data-testid={testId}
          allowClear
          options={(meta?.suggestions[kind.list] ?? []).map((value) => ({ value }))}
          showSearch={{
            filterOption: (input, option) => String(option?.value ?? '').includes(input),
          }}
        />
      );
    case 'date':
      return <DatePicker {...control} data-testid={testId} format={DATE_FORMAT} style={FULL} />;
    case 'year':
      return (
        <InputNumber
          {...control}
          value={control.value as number | undefined}
          data-testid={testId}
          min={1900}
          max={THIS_YEAR}
          precision={0}
          style={FULL}
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
    case 'tags':
      return (
        <Select
          {...control}
          value={control.value as string[] | undefined}
          data-testid={testId}
          mode="tags"
          tokenSeparators={[',', '，', '、']}
          open={false}
          suffixIcon={null}
        />
      );
    case 'owner':
      return <OwnerInput {...control} data-testid={testId} />;
    case 'textarea':
      return (
        <Input.TextArea
          {...control}
          value={control.value as string | undefined}
          data-testid={testId}
          autoSize={{ minRows: 2, maxRows: 6 }}
        />
      );
    default:
      return <Input {...control} value={control.value as string | undefined} data-testid={testId} />;
  }
}
