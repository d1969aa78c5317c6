import { App, Space, Tooltip, Typography } from 'antd';
import { type MouseEvent, useState, useSyncExternalStore } from 'react';
import { ApiError, api } from '../api';
import { orDash } from '../format';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import type { PersonalField } from '../types';

/** Masked values keep their first and last characters and hide the rest behind `*`. */
export function isMasked(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.includes('*');
}

// Once the server has said it has no reveal endpoint, no link offers it again until a reload.
let unavailable = false;
const listeners = new Set<() => void>();
function markUnavailable() {
  unavailable = true;
  for (const listener of [...listeners]) listener();
}
function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
const getUnavailable = () => unavailable;

interface Props {
  customerId: number;
  field: PersonalField;
  value: string | null | undefined;
  /** How the value reads (phones are grouped); applied to the revealed value too. */
  format?: (value: string | null | undefined) => string;
}

/**
 * A personal value (phone, email…) as the server sent it. A masked one gets a "Reveal" link that
 * asks the server for the full value; the server records every reveal in the audit log.
 */
export function PersonalValue({ customerId, field, value, format = orDash }: Props) {
  const { t } = useT();
  const { message } = App.useApp();
  const notify = useNotify();
  const revealUnavailable = useSyncExternalStore(subscribe, getUnavailable);
  const [revealed, setRevealed] = useState<{ from: string; value: string | null } | null>(null);
  const [loading, setLoading] = useState(false);

  // A reveal belongs to the value it revealed: a reloaded customer starts masked again.
  const full = revealed && revealed.from === value ? revealed.value : undefined;
  const shown = full !== undefined ? full : value;

  const reveal = async (event: MouseEvent) => {
    // In the customer list the row itself opens the customer.
    event.stopPropagation();
    event.preventDefault();
    if (!isMasked(value) || loading) return;
    setLoading(true);
    try {
      const answer = await api.revealCustomer(customerId, [field]);
      setRevealed({ from: value, value: answer[field] ?? null });
    } catch (cause) {
      if (
        cause instanceof ApiError &&
        (cause.status === 404 || cause.status === 405) &&
        /reveal/.test(cause.message)
      ) {
        markUnavailable();
        void message.warning(t('reveal.unavailable'));
      } else {
        notify.error(cause);
      }
    } finally {
      setLoading(false);
    }
  };

  const text = format(shown);
  if (full !== undefined || !isMasked(value) || revealUnavailable) {
    return <span data-testid={`value-${field}`}>{text}</span>;
  }
  return (
    <Space size={6} wrap={false}>
      <span data-testid={`value-${field}`}>{text}</span>
      <Tooltip title={t('reveal.tooltip')}>
        <Typography.Link
          onClick={reveal}
          disabled={loading}
          data-testid={`reveal-${field}`}
          style={{ fontSize: 12, whiteSpace: 'nowrap' }}
        >
          {t('reveal.show')}
        </Typography.Link>
      </Tooltip>
    </Space>
  );
}
