import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Segmented, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { ApiError } from '../api';
import type { SchemeDefinition, StoredScheme } from '../api-tiers';
import { pickBilingual, useT } from '../i18n';
import { useNotify } from '../notify';
import { type Draft, knownPaths, type PlacedError, placeErrors, toDefinition, toDraft } from '../tier-draft';
import type { FieldError } from '../types';
import { SchemeEditor } from './SchemeEditor';

interface Props {
  draft: Draft;
  onChange: (next: Draft) => void;
  /** The saved definition (reset goes back to it); null for a scheme not created yet. */
  saved: SchemeDefinition | null;
  version: number | null;
  dirty: boolean;
  readOnly?: boolean;
  /** PUT (a new version) or POST (a new scheme). */
  save: (definition: SchemeDefinition) => Promise<StoredScheme>;
  onSaved: (stored: StoredScheme) => void;
}

/** Problems the form can see before asking the server: metric names are record keys, so two alike would merge. */
function localIssues(draft: Draft, t: ReturnType<typeof useT>['t']): FieldError[] {
  const issues: FieldError[] = [];
  const seen = new Set<string>();
  for (const metric of draft.metrics) {
    const name = metric.name.trim();
    if (name === '') issues.push({ field: 'metrics.', message: t('tiers.editor.metricNameRequired') });
    else if (seen.has(name))
      issues.push({ field: `metrics.${name}`, message: t('tiers.editor.metricNameTwice') });
    seen.add(name);
  }
  return issues;
}

/** The rule editor with saving, the server's errors at their fields and in one list, and a JSON view. */
export function SchemeRulesTab({ draft, onChange, saved, version, dirty, readOnly, save, onSaved }: Props) {
  const { t, lang } = useT();
  const { message } = App.useApp();
  const notify = useNotify();
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const [view, setView] = useState<'form' | 'json'>('form');

  const local = localIssues(draft, t);
  const shown: PlacedError[] = [
    ...local,
    ...serverErrors.map((error) => ({ field: error.field, message: pickBilingual(error.message, lang) })),
  ];
  const placed = placeErrors(shown, knownPaths(draft));
  const definition = useMemo(() => toDefinition(draft), [draft]);

  const submit = async () => {
    if (local.length > 0) return;
    setSaving(true);
    try {
      const stored = await save(definition);
      setServerErrors([]);
      void message.success(t('tiers.editor.savedVersion', { version: stored.version }));
      onSaved(stored);
    } catch (cause) {
      if (cause instanceof ApiError && cause.fieldErrors.length > 0) {
        setServerErrors(cause.fieldErrors);
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else {
        setServerErrors([]);
        notify.error(cause);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Segmented<'form' | 'json'>
            value={view}
            onChange={setView}
            options={[
              { value: 'form', label: t('tiers.editor.viewForm') },
              { value: 'json', label: t('tiers.editor.viewJson') },
            ]}
            data-testid="editor-view"
          />
          {version !== null && (
            <Tag color="blue" data-testid="scheme-version" data-version={version}>
              {t('tiers.editor.version', { version })}
            </Tag>
          )}
          {dirty && <Tag color="orange">{t('tiers.editor.unsaved')}</Tag>}
        </Space>
        {!readOnly && (
          <Space wrap>
            {saved && (
              <Button
                icon={<UndoOutlined />}
                disabled={!dirty || saving}
                onClick={() => {
                  onChange(toDraft(saved));
                  setServerErrors([]);
                }}
                data-testid="scheme-reset"
              >
                {t('tiers.editor.reset')}
              </Button>
            )}
            <Button
              type="primary"
              icon={<SaveOutlined />}
              loading={saving}
              disabled={(saved !== null && !dirty) || local.length > 0}
              onClick={submit}
              data-testid="scheme-save"
            >
              {saved ? t('tiers.editor.saveVersion') : t('tiers.editor.create')}
            </Button>
          </Space>
        )}
      </Flex>
      {shown.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('tiers.editor.problems', { n: shown.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="scheme-errors">
              {shown.map((error, i) => (
                <li key={`${error.field}-${i}`}>
                  <Typography.Text code>{error.field}</Typography.Text> {error.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {readOnly && <Alert type="info" showIcon title={t('tiers.editor.readOnly')} />}
      {view === 'json' ? (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('tiers.editor.jsonHint')}</Typography.Text>
          <pre
            data-testid="scheme-json"
            style={{
              margin: 0,
              padding: 12,
              background: 'rgba(0,0,0,0.03)',
              borderRadius: 6,
              overflow: 'auto',
            }}
          >
            {JSON.stringify(definition, null, 2)}
          </pre>
        </Flex>
      ) : (
        <SchemeEditor
          draft={draft}
          onChange={onChange}
          errors={placed}
          isNew={saved === null}
          readOnly={readOnly}
        />
      )}
    </Flex>
  );
}
