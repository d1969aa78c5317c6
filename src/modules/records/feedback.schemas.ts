import { z } from 'zod';
import { feedbackKindOptions, statusOptions } from '../../domain/records/options.js';
import { dateTimeSchema, idSchema, nullableText, recordEnum, requiredText } from './record-fields.js';

const RATING_MESSAGE = '评分须为 1 到 5 的整数 / The rating must be a whole number from 1 to 5';

export const ratingSchema = z.preprocess((value) => {
  if (typeof value === 'string' && value.trim() === '') return null;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return value;
}, z
  .number({ error: RATING_MESSAGE })
  .int({ error: RATING_MESSAGE })
  .min(1, { error: RATING_MESSAGE })
  .max(5, { error: RATING_MESSAGE })
  .nullable());

export const createFeedbackSchema = z.strictObject({
  kind: recordEnum(feedbackKindOptions),
  rating: ratingSchema.optional(),
  content: requiredText(5000),
  status: recordEnum(statusOptions).optional(),
  resolution: nullableText(5000),
  /** When the feedback came in; default now. */
  receivedAt: dateTimeSchema.optional(),
  /** Complaints only: when it must be resolved; default received + the complaints.due_hours setting (48). */
  dueAt: dateTimeSchema.optional(),
  /** When it was resolved; default the moment the status becomes resolved or closed. */
  resolvedAt: dateTimeSchema.optional(),
  handlerId: idSchema.nullable().optional(),
});
export type CreateFeedbackInput = z.input<typeof createFeedbackSchema>;

export const updateFeedbackSchema = createFeedbackSchema.partial();

export const feedbackSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  kind: z.string(),
  rating: z.number().int().nullable(),
  content: z.string(),
  status: z.string(),
  resolution: z.string().nullable(),
  receivedAt: z.string(),
  dueAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  handlerId: z.number().int().nullable(),
  handler: z.string().nullable(),
  /** A complaint still open after its due time. */
  overdue: z.boolean(),
  timeToResolveHours: z.number().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Feedback = z.infer<typeof feedbackSchema>;

export const complaintSchema = feedbackSchema.extend({ customerCode: z.string(), customerName: z.string() });
export type Complaint = z.infer<typeof complaintSchema>;

export const complaintSettingsSchema = z.strictObject({
  dueHours: z.coerce
    .number()
    .int()
    .min(1, { error: '至少 1 小时 / At least 1 hour' })
    .max(8760, { error: '最多 8760 小时（一年） / At most 8760 hours (a year)' }),
});
