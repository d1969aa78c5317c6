import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type AppErrorCode, type FieldIssue } from '../shared/app-error.js';

export const statusOf: Record<AppErrorCode, number> = {
  VALIDATION_FAILED: 400,
  IMPORT_FAILED: 400,
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

/** Maps a database error that input can cause to what the user did wrong; anything else is ours. */
function fromDatabase(error: { code?: string; detail?: string; constraint?: string }): ErrorBody | undefined {
  if (error.code === '23505') {
    return body('DUPLICATE', '数据重复 / Duplicate value', [
      { field: error.constraint ?? '', message: error.detail ?? '' },
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
      const details: FieldIssue[] = error.validation.map((issue) => ({
        field: `${where}${issue.instancePath.replace(/^\//, '').replaceAll('/', '.')}` || '(body)',
        message: issue.message ?? '',
      }));
      return reply.status(400).send(body('VALIDATION_FAILED', '输入无效 / Invalid input', details));
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
