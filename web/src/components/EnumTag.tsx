import { Tag } from 'antd';
import { useEnums } from '../meta';

/** Colours say how far along / how healthy a customer is; unknown values stay neutral. */
const COLORS: Record<string, Record<string, string>> = {
  stage: { potential: 'default', intent: 'processing', closed: 'success', churned: 'error' },
  status: { active: 'success', paused: 'warning', terminated: 'default' },
  creditStatus: { good: 'success', watch: 'warning', overdue: 'error' },
};

interface Props {
  name: string;
  value: string | null | undefined;
  'data-testid'?: string;
}

export function EnumTag({ name, value, 'data-testid': testId }: Props) {
  const enums = useEnums();
  if (!value) return null;
  return (
    <Tag color={COLORS[name]?.[value] ?? 'default'} data-testid={testId} data-value={value}>
      {enums.label(name, value)}
    </Tag>
  );
}
