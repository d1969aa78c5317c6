import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type AppErrorCode, type FieldIssue } from '../shared/app-error.js';

export const statusOf: Record<AppErrorCode, number> = {
  VALIDATION_FAILED: 400,
  IMPORT_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  DUPLICATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  DATA_DIR_LOCKED: 503,
  SCHEMA_TOO_NEW: 503,
  INTERNAL: 500,
};

interface ErrorBody {
  error: { code: AppErrorCode; message: string; details?: unknown };
}

function body(code: AppErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * The input field behind each unique index. The modules check these values before writing; when
 * two requests race past that check, the index refuses the second, and the answer must still name
 * the field the caller sent.
 */
const UNIQUE_FIELDS: Record<string, string> = {
  customers_code_key: 'code',
  transactions_external_ref_key: 'externalRef',
  custom_field_defs_pkey: 'key',
  contacts_one_primary: 'isPrimary',
};

/** Maps a database error that input can cause to what the user did wrong; anything else is ours. */
function fromDatabase(error: { code?: string; detail?: string; constraint?: string }): ErrorBody | undefined {
  if (error.code === '23505') {
    const field = UNIQUE_FIELDS[error.constraint ?? ''] ?? error.constraint ?? '';
    return body('DUPLICATE', '数据重复 / Duplicate value', [
      { field, message: `已被使用 / Already taken${error.detail ? ` (${error.detail})` : ''}` },
    ]);
  }
  if (error.code === '23514' || error.code?.startsWith('22')) {
    return body('VALIDATION_FAILED', '输入无效 / Invalid input', [
      { field: error.constraint ?? '', message: error.detail ?? String((error as Error).message) },
    ]);
  }
  return undefined;
}

/** The one place where errors become HTTP responses of the shape `{ error: { code, message, details } }`. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      return reply.status(statusOf[error.code]).send(body(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext === 'body' ? '' : `${error.validationContext}.`;
      const details: FieldIssue[] = error.validation.flatMap((issue) => {
        const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        // An unknown key is named itself, not the object holding it.
        const keys =
          issue.keyword === 'unrecognized_keys' ? (issue.params as { keys?: string[] }).keys : undefined;
        const fields = keys?.length ? keys.map((key) => (path ? `${path}.${key}` : key)) : [path];
        return fields.map((field) => ({
          field: `${where}${field}` || '(body)',
          message: issue.message ?? '',
        }));
      });
      return reply.status(400).send(body('VALIDATION_FAILED', '输入无效 / Invalid input', details));
    }
    if (error.statusCode === 429) {
      return reply
        .status(429)
        .send(body('RATE_LIMITED', '请求过于频繁，请稍后再试 / Too many requests, try again later'));
    }
    if (error.statusCode === 413) {
      return reply.status(413).send(body('PAYLOAD_TOO_LARGE', '请求体过大 / Request body too large'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply
        .status(error.statusCode === 404 ? 404 : 400)
        .send(
          body(error.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED', `请求无效 / ${error.message}`),
        );
    }
    const mapped = fromDatabase(error as unknown as { code?: string });
    if (mapped) return reply.status(statusOf[mapped.error.code]).send(mapped);
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', '服务器内部错误 / Internal server error'));
  });
}

export const errorResponseSchemaNote =
  'Errors: { "error": { "code", "message", "details" } } — see docs/api.md for the codes.';
