import { useEffect, useState } from 'react';
import { api } from './api';
import type { User } from './types';

export interface UsersState {
  users: User[] | null;
  error: unknown;
}

/** The user accounts, when `enabled` (the viewer holds users.manage); null until loaded. */
export function useUsers(enabled: boolean): UsersState {
  const [state, setState] = useState<UsersState>({ users: null, error: null });
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    api
      .listUsers(controller.signal)
      .then((answer) => setState({ users: answer.items, error: null }))
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setState({ users: null, error: cause });
      });
    return () => controller.abort();
  }, [enabled]);
  return state;
}
