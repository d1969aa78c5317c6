import { RollbackOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Popconfirm,
  Radio,
  Result,
  Space,
  Steps,
  Typography,
} from 'antd';
import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api';
import {
  type ColumnMapping,
  type ImportKind,
  type ImportOutcome,
  importsApi,
  type OnDuplicate,
  type UndoImportResult,
} from '../api-imports';
import { formatCount } from '../format';
import { pickBilingual, useT } from '../i18n';
import {
  chooseField,
  downloadText,
  fullMapping,
  invalidRowCount,
  mappedColumns,
  missingRequired,
} from '../import-mapping';
import { useNotify } from '../notify';
import { testId } from '../test-id';
import { ImportMappingStep } from './ImportMappingStep';
import { ImportReportView } from './ImportReportView';
import { ImportUploadStep } from './ImportUploadStep';

const STEPS = ['upload', 'mapping', 'check', 'decide', 'result'] as const;
type Step = (typeof STEPS)[number];

/** The header a refused dry run names (`details.header` of "required column missing"). */
function headerOfFailure(cause: unknown): string[] | null {
  if (!(cause instanceof ApiError) || cause.code !== 'IMPORT_FAILED') return null;
  const details = cause.details as { header?: unknown } | undefined;
  const header = details?.header;
  return Array.isArray(header) && header.every((cell) => typeof cell === 'string') ? header : null;
}

interface Props {
  /** After an import was committed or undone: the history shows it. */
  onChanged: () => void;
}

/**
 * Import in five steps: file → column mapping → errors and duplicates → decisions → result. Every
 * step before the last is a dry run of the whole file on the server (rolled back), so the counts
 * shown are exactly what the import will do.
 */
export function ImportWizard({ onChanged }: Props) {
  const { t, lang } = useT();
  const notify = useNotify();
  const [step, setStep] = useState<Step>('upload');
  const [kind, setKind] = useState<ImportKind>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [sheet, setSheet] = useState('');
  const [overrides, setOverrides] = useState<ColumnMapping>({});
  const [onDuplicate, setOnDuplicate] = useState<OnDuplicate>('update');
  const [skipInvalid, setSkipInvalid] = useState(false);
  /** The last dry run that succeeded, and the header of the file as last read. */
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [header, setHeader] = useState<string[]>([]);
  /** Why the last dry run refused the file (nothing to check until it is fixed). */
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [running, setRunning] = useState<'dry' | 'commit' | 'undo' | null>(null);
  const [result, setResult] = useState<ImportOutcome | null>(null);
  const [undone, setUndone] = useState<UndoImportResult | null>(null);
  // Only the answer to the latest dry run counts; an earlier one may arrive later.
  const sequence = useRef(0);

  const columns = useMemo(() => mappedColumns(header, outcome, overrides), [header, outcome, overrides]);
  const missing = missingRequired(kind, columns);
  const ready = outcome !== null && failure === null && running !== 'dry';

  const reset = (keepKind = true) => {
    sequence.current += 1;
    setStep('upload');
    if (!keepKind) setKind('customers');
    setFile(null);
    setSheet('');
    setOverrides({});
    setOnDuplicate('update');
    setSkipInvalid(false);
    setOutcome(null);
    setHeader([]);
    setFailure(null);
    setResult(null);
    setUndone(null);
    setRunning(null);
  };

  /** Runs the dry run with the given choices; true when the mapping step can show the file. */
  const dryRun = async (
    choices: { overrides?: ColumnMapping; onDuplicate?: OnDuplicate } = {},
  ): Promise<boolean> => {
    if (!file) return false;
    const id = ++sequence.current;
    setRunning('dry');
    try {
      const answer = await importsApi.run(kind, file, {
        dryRun: true,
        // The dry run goes past invalid rows, so its counts show what the valid ones would do.
        skipInvalid: true,
        onDuplicate: choices.onDuplicate ?? onDuplicate,
        sheet,
        fileName: file.name,
        mapping: choices.overrides ?? overrides,
      });
      if (id !== sequence.current) return false;
      setOutcome(answer);
      setHeader(answer.table.header);
      setFailure(null);
      return true;
    } catch (cause) {
      if (id !== sequence.current) return false;
      const failedHeader = headerOfFailure(cause);
      if (failedHeader) {
        // The file was read, but the columns do not do: show them to be mapped.
        setOutcome((previous) =>
          previous && previous.table.header.join('\u0000') === failedHeader.join('\u0000') ? previous : null,
        );
        setHeader(failedHeader);
        setFailure(cause as ApiError);
        return true;
      }
      if (cause instanceof ApiError && cause.status !== 401) setFailure(cause);
      else notify.error(cause);
      return false;
    } finally {
      if (id === sequence.current) setRunning(null);
    }
  };

  const analyse = async () => {
    setOverrides({});
    setOutcome(null);
    if (await dryRun({ overrides: {} })) setStep('mapping');
  };

  const choose = (columnHeader: string, field: string | null) => {
    const next = chooseField(columns, overrides, columnHeader, field);
    setOverrides(next);
    void dryRun({ overrides: next });
  };

  const loadMapping = (mapping: ColumnMapping) => {
    const next = { ...overrides, ...mapping };
    setOverrides(next);
    void dryRun({ overrides: next });
  };

  const downloadMapping = () => {
    downloadText(`clientele-mapping-${kind}.json`, `${JSON.stringify(fullMapping(columns), null, 2)}\n`);
  };

  const decideDuplicates = (value: OnDuplicate) => {
    setOnDuplicate(value);
    void dryRun({ onDuplicate: value });
  };

  const commit = async () => {
    if (!file) return;
    sequence.current += 1;
    setRunning('commit');
    try {
      const answer = await importsApi.run(kind, file, {
        dryRun: false,
        skipInvalid,
        onDuplicate,
        sheet,
        fileName: file.name,
        mapping: overrides,
      });
      setResult(answer);
      setUndone(null);
      setStep('result');
      if (answer.committed) onChanged();
    } catch (cause) {
      notify.error(cause);
    } finally {
      setRunning(null);
    }
  };

  const undo = async () => {
    if (result?.importId === null || result?.importId === undefined) return;
    setRunning('undo');
    try {
      setUndone(await importsApi.undo(result.importId));
      onChanged();
    } catch (cause) {
      notify.error(cause);
    } finally {
      setRunning(null);
    }
  };

  const current = STEPS.indexOf(step);
  const go = (to: Step) => setStep(to);
  const invalidRows = outcome ? invalidRowCount(outcome.report.invalid) : 0;

  const failureAlert = failure && (
    <Alert
      type="error"
      showIcon
      title={t('imports.failed')}
      description={pickBilingual(failure.message, lang)}
      data-testid="import-failure"
    />
  );

  return (
    <Flex vertical gap={24}>
      <Steps
        current={current}
        size="small"
        items={STEPS.map((key) => ({ key, title: t(`imports.step.${key}`) }))}
        data-testid="import-steps"
        data-step={step}
      />

      {step === 'upload' && (
        <Flex vertical gap={16}>
          <ImportUploadStep
            kind={kind}
            onKind={(value) => {
              setKind(value);
              setOverrides({});
              setOutcome(null);
              setFailure(null);
            }}
            file={file}
            onFile={(value) => {
              setFile(value);
              setOverrides({});
              setOutcome(null);
              setFailure(null);
            }}
            sheet={sheet}
            onSheet={setSheet}
          />
          {failureAlert}
          <div>
            <Button
              type="primary"
              disabled={!file}
              loading={running === 'dry'}
              onClick={() => void analyse()}
              data-testid="import-analyse"
            >
              {t('imports.analyse')}
            </Button>
          </div>
        </Flex>
      )}

      {step === 'mapping' && (
        <Flex vertical gap={16}>
          {failureAlert}
          <ImportMappingStep
            kind={kind}
            table={outcome?.table ?? null}
            columns={columns}
            missing={missing}
            running={running === 'dry'}
            onChoose={choose}
            onDownload={downloadMapping}
            onLoad={loadMapping}
          />
          <Space>
            <Button onClick={() => go('upload')}>{t('imports.previous')}</Button>
            <Button
              type="primary"
              disabled={!ready || missing.length > 0}
              onClick={() => go('check')}
              data-testid="import-to-check"
            >
              {t('imports.next')}
            </Button>
          </Space>
        </Flex>
      )}

      {step === 'check' && outcome && (
        <Flex vertical gap={16}>
          <ImportReportView kind={kind} report={outcome.report} errorReport={outcome.errorReport} dryRun />
          <Space>
            <Button onClick={() => go('mapping')}>{t('imports.previous')}</Button>
            <Button
              type="primary"
              disabled={!ready}
              onClick={() => go('decide')}
              data-testid="import-to-decide"
            >
              {t('imports.next')}
            </Button>
          </Space>
        </Flex>
      )}

      {step === 'decide' && outcome && (
        <Flex vertical gap={16} style={{ maxWidth: 860 }}>
          {failureAlert}
          <Card size="small" title={t('imports.decide.duplicates')}>
            <Flex vertical gap={8}>
              <Typography.Text type="secondary">
                {t('imports.decide.duplicatesFound', {
                  existing: formatCount(outcome.report.duplicates.existing),
                  inFile: formatCount(outcome.report.duplicates.inFile),
                })}
              </Typography.Text>
              <Radio.Group
                value={onDuplicate}
                onChange={(event) => decideDuplicates(event.target.value as OnDuplicate)}
                disabled={running !== null}
                data-testid="import-on-duplicate"
                style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
                options={(['update', 'skip'] as const).map((value) => ({
                  value,
                  label: (
                    <span data-testid={`import-on-duplicate-${value}`}>
                      <Typography.Text strong>{t(`imports.decide.${value}`)}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary">{t(`imports.decide.${value}Hint`)}</Typography.Text>
                    </span>
                  ),
                }))}
              />
            </Flex>
          </Card>
          <Card size="small" title={t('imports.decide.invalid')}>
            <Flex vertical gap={8}>
              <Typography.Text type="secondary">
                {t('imports.decide.invalidFound', { n: formatCount(invalidRows) })}
              </Typography.Text>
              <Radio.Group
                value={skipInvalid}
                onChange={(event) => setSkipInvalid(event.target.value as boolean)}
                disabled={running !== null}
                data-testid="import-skip-invalid"
                style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
                options={[
                  {
                    value: true,
                    label: (
                      <span data-testid="import-skip-invalid-yes">
                        <Typography.Text strong>{t('imports.decide.skipInvalid')}</Typography.Text>
                        <br />
                        <Typography.Text type="secondary">
                          {t('imports.decide.skipInvalidHint')}
                        </Typography.Text>
                      </span>
                    ),
                  },
                  {
                    value: false,
                    label: (
                      <span data-testid="import-skip-invalid-no">
                        <Typography.Text strong>{t('imports.decide.refuseInvalid')}</Typography.Text>
                        <br />
                        <Typography.Text type="secondary">
                          {t('imports.decide.refuseInvalidHint')}
                        </Typography.Text>
                      </span>
                    ),
                  },
                ]}
              />
            </Flex>
          </Card>
          <Alert
            type={invalidRows > 0 && !skipInvalid ? 'warning' : 'info'}
            showIcon
            data-testid="import-expected"
            title={
              invalidRows > 0 && !skipInvalid
                ? t('imports.decide.willRefuse', { n: formatCount(invalidRows) })
                : t('imports.decide.expected', {
                    created: formatCount(outcome.report.created),
                    updated: formatCount(outcome.report.updated),
                    skipped: formatCount(outcome.report.skipped),
                  })
            }
          />
          <Space>
            <Button onClick={() => go('check')}>{t('imports.previous')}</Button>
            <Popconfirm
              title={t('imports.commitConfirm', { file: file?.name ?? '' })}
              okText={t('imports.commit')}
              cancelText={t('common.cancel')}
              onConfirm={() => commit()}
              okButtonProps={testId('import-commit-confirm')}
              disabled={!ready}
            >
              <Button
                type="primary"
                disabled={!ready}
                loading={running === 'commit'}
                data-testid="import-commit"
              >
                {t('imports.commit')}
              </Button>
            </Popconfirm>
          </Space>
        </Flex>
      )}

      {step === 'result' && result && (
        <Flex vertical gap={16}>
          {result.committed ? (
            <Result
              status={undone ? 'info' : 'success'}
              title={undone ? t('imports.result.undone') : t('imports.result.done')}
              subTitle={
                undone
                  ? t('imports.result.undoneDetail', {
                      deleted: formatCount(undone.deleted),
                      restored: formatCount(undone.restored),
                    })
                  : t('imports.result.doneDetail', {
                      created: formatCount(result.report.created),
                      updated: formatCount(result.report.updated),
                      skipped: formatCount(result.report.skipped),
                    })
              }
              data-testid="import-result"
              data-import-id={result.importId ?? ''}
              data-undone={undone ? 'true' : 'false'}
              extra={
                <Space wrap>
                  {!undone && (
                    <Popconfirm
                      title={t('imports.undoConfirm')}
                      okText={t('imports.undo')}
                      cancelText={t('common.cancel')}
                      okButtonProps={{ danger: true, ...testId('import-undo-confirm') }}
                      onConfirm={() => undo()}
                    >
                      <Button
                        danger
                        icon={<RollbackOutlined />}
                        loading={running === 'undo'}
                        data-testid="import-undo"
                      >
                        {t('imports.undo')}
                      </Button>
                    </Popconfirm>
                  )}
                  <Button type="primary" onClick={() => reset()} data-testid="import-again">
                    {t('imports.again')}
                  </Button>
                  {kind === 'customers' && <Link to="/customers">{t('imports.toCustomers')}</Link>}
                </Space>
              }
            />
          ) : (
            <Result
              status="warning"
              title={t('imports.result.refused')}
              subTitle={t('imports.result.refusedDetail', {
                n: formatCount(invalidRowCount(result.report.invalid)),
              })}
              data-testid="import-result"
              data-import-id=""
              extra={
                <Space wrap>
                  <Button type="primary" onClick={() => go('decide')}>
                    {t('imports.previous')}
                  </Button>
                  <Button onClick={() => reset()}>{t('imports.again')}</Button>
                </Space>
              }
            />
          )}
          {result.importId !== null && (
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, sm: 2, lg: 3 }}
              items={[
                {
                  key: 'id',
                  label: t('imports.result.id'),
                  children: <span data-testid="import-id">{result.importId}</span>,
                },
                { key: 'file', label: t('imports.history.file'), children: file?.name ?? '—' },
                {
                  key: 'onDuplicate',
                  label: t('imports.decide.duplicates'),
                  children: t(`imports.decide.${onDuplicate}`),
                },
              ]}
            />
          )}
          <ImportReportView
            kind={kind}
            report={result.report}
            errorReport={result.errorReport}
            dryRun={false}
          />
        </Flex>
      )}
    </Flex>
  );
}
