/** A user-facing text in both languages the product ships. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** The fixed set of error codes; each maps to one HTTP status in http/error-handler.ts. */
export type AppErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'ACCOUNT_LOCKED'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'DUPLICATE'
  | 'PAYLOAD_TOO_LARGE'
  | 'DATA_DIR_LOCKED'
  | 'SCHEMA_TOO_NEW'
  | 'IMPORT_FAILED'
  | 'INTERNAL';

export interface FieldIssue {
  /** Dotted path of the offending input, e.g. `phone` or `custom.level`. */
  field: string;
  message: string;
  /** Row number in an imported file (1 = first data row), when the input came from a file. */
  row?: number;
}

export function bilingual(text: Bilingual): string {
  return `${text.zh} / ${text.en}`;
}

/**
 * The one error type of the application. Routes, the CLI and imports all throw it;
 * `http/error-handler.ts` turns it into `{ error: { code, message, details } }`.
 *
 * @example throw new AppError('NOT_FOUND', { zh: '客户不存在', en: 'Customer not found' });
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: FieldIssue[] | Record<string, unknown> | undefined;

  constructor(code: AppErrorCode, text: Bilingual, details?: FieldIssue[] | Record<string, unknown>) {
    super(bilingual(text));
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function validationError(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', { zh: '输入无效', en: 'Invalid input' }, issues);
}

export function notFound(what: Bilingual): AppError {
  return new AppError('NOT_FOUND', { zh: `${what.zh}不存在`, en: `${what.en} not found` });
}
