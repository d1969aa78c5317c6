import { z } from 'zod';
import { statusOptions } from '../../domain/records/options.js';
import { dateTimeSchema, idSchema, nullableText, recordEnum, requiredText } from './record-fields.js';

export const createServiceRecordSchema = z.strictObject({
  /** What the customer asked for. */
  request: requiredText(5000),
  /** Free text: 安装, 维修, 咨询, 退换货 … */
  category: nullableText(100),
  status: recordEnum(statusOptions).optional(),
  resolution: nullableText(5000),
  /** When the request came in; default now. */
  openedAt: dateTimeSchema.optional(),
  /** Default: the moment the status becomes resolved or closed. */
  resolvedAt: dateTimeSchema.optional(),
  handlerId: idSchema.nullable().optional(),
});

export const updateServiceRecordSchema = createServiceRecordSchema.partial();

export const serviceRecordSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  request: z.string(),
  category: z.string().nullable(),
  status: z.string(),
  resolution: z.string().nullable(),
  openedAt: z.string(),
  resolvedAt: z.string().nullable(),
  timeToResolveHours: z.number().nullable(),
  handlerId: z.number().int().nullable(),
  handler: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ServiceRecord = z.infer<typeof serviceRecordSchema>;
