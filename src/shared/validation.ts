import { z } from 'zod';
import { type FieldIssue, validationError } from './app-error.js';

const zhMessages = z.locales.zhCN().localeError;
const enMessages = z.locales.en().localeError;
const text = (result: ReturnType<typeof zhMessages>) =>
  typeof result === 'string' ? result : result?.message;

// Every validation message the product shows is in Chinese and English.
z.config({ localeError: (issue) => `${text(zhMessages(issue))} / ${text(enMessages(issue))}` });

export function issuesFromZod(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}

/** Parses `input` with `schema` or throws a VALIDATION_FAILED AppError listing every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(issuesFromZod(result.error));
  return result.data;
}
