import { Form, Typography } from 'antd';
import { type CSSProperties, createContext, type ReactNode, useContext } from 'react';
import type { Draft } from '../tier-draft';

/** Standard customer fields a rule may read (src/domain/tiers/scheme.ts `fieldKinds`). */
export const RULE_FIELDS: Record<string, 'number' | 'text'> = {
  totalSpent: 'number',
  orderCount: 'number',
  birthYear: 'number',
  type: 'text',
  stage: 'text',
  status: 'text',
  vip: 'text',
  industry: 'text',
  source: 'text',
  companySize: 'text',
  province: 'text',
  city: 'text',
  gender: 'text',
  ageBand: 'text',
  incomeLevel: 'text',
  creditStatus: 'text',
};

export type MetricKind = 'number' | 'series' | 'text';

export interface EditorEnv {
  draft: Draft;
  /** Server errors by the editor path that shows them, already in the UI language. */
  errors: ReadonlyMap<string, string[]>;
  metricKind: (name: string) => MetricKind | undefined;
  /** Custom fields by key: how rules compare them. */
  customKinds: Record<string, MetricKind | 'other'>;
}

export const EditorContext = createContext<EditorEnv | null>(null);

export function useEditor(): EditorEnv {
  const value = useContext(EditorContext);
  if (!value) throw new Error('useEditor() needs an <EditorContext.Provider> above it');
  return value;
}

export function errorHelp(path: string, list: string[] | undefined): ReactNode {
  if (!list || list.length === 0) return undefined;
  return (
    <span data-testid="field-error" data-path={path}>
      {list.join('；')}
    </span>
  );
}

/** A form field whose server errors (by path, e.g. `rules.0.when.all.1.value`) show beneath it. */
export function Field({
  path,
  label,
  extra,
  children,
  style,
}: {
  path: string;
  label?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  style?: CSSProperties;
}) {
  const { errors } = useEditor();
  const list = errors.get(path);
  return (
    <Form.Item
      label={label}
      extra={extra}
      validateStatus={list ? 'error' : undefined}
      help={errorHelp(path, list)}
      style={{ marginBottom: 12, ...style }}
    >
      {children}
    </Form.Item>
  );
}

/** Errors about a whole block (a condition, a rule) rather than one input. */
export function BlockErrors({ path }: { path: string }) {
  const { errors } = useEditor();
  const list = errors.get(path);
  if (!list) return null;
  return (
    <div>
      <Typography.Text type="danger">{errorHelp(path, list)}</Typography.Text>
    </div>
  );
}
