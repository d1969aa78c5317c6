import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api } from './api';
import { ENUM_VALUES, type EnumName } from './customer-fields';
import { useT } from './i18n';
import type { CustomFieldDef, EnumOption, Meta } from './types';

interface MetaState {
  meta: Meta | null;
  error: unknown;
  reload: () => void;
}

const MetaContext = createContext<MetaState | null>(null);

/** Loads /api/meta once for the whole app; forms and labels read it from here. */
export function MetaProvider({ children }: { children: ReactNode }) {
  const [meta, setMeta] = useState<Meta | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api
      .meta(controller.signal)
      .then((value) => {
        setMeta(value);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(cause);
      });
    return () => controller.abort();
  }, [attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const value = useMemo(() => ({ meta, error, reload }), [meta, error, reload]);
  return <MetaContext.Provider value={value}>{children}</MetaContext.Provider>;
}

export function useMeta(): MetaState {
  const value = useContext(MetaContext);
  if (!value) throw new Error('useMeta() needs a <MetaProvider> above it');
  return value;
}

export interface LabelledOption {
  value: string;
  label: string;
}

export interface Enums {
  options: (name: EnumName | string) => LabelledOption[];
  label: (name: EnumName | string, value: string | null | undefined) => string;
}

/** Enumeration labels in the UI language; unknown values show as they are. */
export function useEnums(): Enums {
  const { meta } = useMeta();
  const { pick } = useT();
  return useMemo(() => {
    const list = (name: string): EnumOption[] => {
      const fromMeta = meta?.enums[name];
      if (fromMeta && fromMeta.length > 0) return fromMeta;
      const fallback: readonly string[] = ENUM_VALUES[name as EnumName] ?? [];
      return fallback.map((value) => ({ value, zh: value, en: value }));
    };
    return {
      options: (name) => list(name).map((o) => ({ value: o.value, label: pick(o.zh, o.en) })),
      label: (name, value) => {
        if (value === null || value === undefined || value === '') return '';
        const option = list(name).find((o) => o.value === value);
        return option ? pick(option.zh, option.en) : value;
      },
    };
  }, [meta, pick]);
}

export function useCustomFields(): CustomFieldDef[] {
  const { meta } = useMeta();
  return useMemo(() => [...(meta?.customFields ?? [])].sort((a, b) => a.position - b.position), [meta]);
}
