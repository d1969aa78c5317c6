import { App } from 'antd';
import { useMemo } from 'react';
import { ApiError } from './api';
import { type MessageKey, pickBilingual, useT } from './i18n';

export interface Notify {
  success: (key: MessageKey) => void;
  /** Shows a failed request; field errors are listed too, in case the page could not place them. */
  error: (cause: unknown, title?: MessageKey) => void;
}

export function useNotify(): Notify {
  const { message, notification } = App.useApp();
  const { t, lang } = useT();
  return useMemo<Notify>(
    () => ({
      success: (key) => {
        void message.success(t(key));
      },
      error: (cause, title = 'common.failed') => {
        if (cause instanceof DOMException && cause.name === 'AbortError') return;
        // A 401 sends the user to the login page, which says so; a notification would only repeat it.
        if (cause instanceof ApiError && cause.status === 401) return;
        const text =
          cause instanceof ApiError
            ? pickBilingual(cause.message, lang)
            : cause instanceof Error
              ? cause.message
              : '';
        const fields = cause instanceof ApiError ? cause.fieldErrors : [];
        const lines = fields.map((f) => `${f.field}: ${pickBilingual(f.message, lang)}`);
        notification.error({
          title: t(title),
          description: [text, ...lines].filter(Boolean).join('\n'),
          style: { whiteSpace: 'pre-line' },
        });
      },
    }),
    [message, notification, t, lang],
  );
}
