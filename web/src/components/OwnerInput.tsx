import { Input, Select } from 'antd';
import { useT } from '../i18n';
import { useCan } from '../session';
import { useUsers } from '../use-users';

interface Props {
  /** Injected by Form.Item. */
  value?: unknown;
  onChange?: (value: unknown) => void;
  id?: string;
  'data-testid'?: string;
}

/**
 * The owner's username. Who may list the users (users.manage) picks one; everybody else types it,
 * and the server refuses a name it does not know.
 */
export function OwnerInput({ value, onChange, id, 'data-testid': testId }: Props) {
  const { t } = useT();
  const can = useCan();
  const mayList = can('users.manage');
  const { users, error } = useUsers(mayList);
  const current = typeof value === 'string' ? value : undefined;

  if (!mayList || error) {
    return (
      <Input
        id={id}
        value={current}
        onChange={(event) => onChange?.(event.target.value)}
        placeholder={t('form.ownerHint')}
        autoComplete="off"
        data-testid={testId}
      />
    );
  }
  const options = (users ?? []).map((user) => ({
    value: user.username,
    label: user.displayName ? `${user.displayName} (${user.username})` : user.username,
    disabled: user.disabled,
  }));
  // A stored owner the list lacks (or before it loads) still shows by name.
  if (current && !options.some((o) => o.value === current))
    options.unshift({ value: current, label: current, disabled: false });
  return (
    <Select
      id={id}
      value={current}
      onChange={(next: string | undefined) => onChange?.(next ?? null)}
      options={options}
      loading={users === null}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('form.ownerHint')}
      data-testid={testId}
    />
  );
}
