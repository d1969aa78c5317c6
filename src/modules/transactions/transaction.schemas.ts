import { z } from 'zod';
import { dateSchema, decimalSchema, normalizeDateInput, optionalText } from '../../shared/fields.js';

export const transactionFieldsSchema = z.object({
  occurredOn: z.preprocess(normalizeDateInput, dateSchema),
  product: optionalText(200),
  category: optionalText(100),
  quantity: decimalSchema(3, { min: 0 }).optional(),
  amount: decimalSchema(2),
  cost: decimalSchema(2, { min: 0 }).nullable().optional(),
  channel: optionalText(100),
  externalRef: optionalText(100),
  notes: optionalText(2000),
});

export const createTransactionSchema = transactionFieldsSchema;
export const updateTransactionSchema = transactionFieldsSchema.partial();

export const transactionSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  occurredOn: z.string(),
  product: z.string().nullable(),
  category: z.string().nullable(),
  quantity: z.string(),
  amount: z.string(),
  cost: z.string().nullable(),
  channel: z.string().nullable(),
  externalRef: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
});
export type Transaction = z.infer<typeof transactionSchema>;
