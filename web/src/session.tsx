import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, onUnauthenticated, setCsrfToken } from './api';
import type { Permission, SessionUser } from './types';

/**
 * Why there is no session: never logged in in this browser (`none`), the server stopped accepting
 * the session (`expired`), or the user logged out (`logout`, which does not remember the page).
 */
export type SignedOutReason = 'none' | 'expired' | 'logout';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'anonymous'; reason: SignedOutReason }
  | { status: 'authenticated'; user: SessionUser };

export interface Session {
  state: SessionState;
  /** The logged-in user, or null. */
  user: SessionUser | null;
  can: (permission: Permission) => boolean;
  /** Throws the server's ApiError (401, 423, 429…) for the login page to show. */
  login: (username: string, password: string) => Promise<SessionUser>;
  logout: () => Promise<void>;
  /** Asks /auth/me again (after a failed start). */
  retry: () => void;
}

const SessionContext = createContext<Session | null>(null);

/** Asks /api/auth/me on start and drops the session whenever any request answers 401. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api
      .me(controller.signal)
      .then((user) => {
        setCsrfToken(user.csrfToken);
        setState({ status: 'authenticated', user });
      })
      .catch((cause: unknown) => {
        if (controller.signal.aborted) return;
        if (cause instanceof ApiError && cause.status === 401)
          setState({ status: 'anonymous', reason: 'none' });
        else setState({ status: 'error', error: cause });
      });
    return () => controller.abort();
  }, [attempt]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        setCsrfToken(null);
        setState((prev) => (prev.status === 'anonymous' ? prev : { status: 'anonymous', reason: 'expired' }));
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string) => {
    const user = await api.login(username, password);
    setCsrfToken(user.csrfToken);
    setState({ status: 'authenticated', user });
    return user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // An expired session is as logged out as an ended one; the server clears what it can.
    }
    setCsrfToken(null);
    setState({ status: 'anonymous', reason: 'logout' });
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<Session>(() => {
    const user = state.status === 'authenticated' ? state.user : null;
    const granted = new Set<string>(user?.permissions ?? []);
    return { state, user, can: (permission) => granted.has(permission), login, logout, retry };
  }, [state, login, logout, retry]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() needs a <SessionProvider> above it');
  return value;
}

/** Shorthand for permission checks in components. */
export function useCan(): (permission: Permission) => boolean {
  return useSession().can;
}

/** Only same-site paths are followed after login, so `?next=` cannot send anyone elsewhere. */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/customers';
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login/')) return '/customers';
  return next;
}
