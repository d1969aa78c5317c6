import { z } from 'zod';
import { projectStatusOptions } from '../../domain/records/options.js';
import { dateSchema, decimalSchema, normalizeDateInput, optionalDate } from '../../shared/fields.js';
import { nullableText, recordEnum, requiredText } from './record-fields.js';

const requiredDate = z.preprocess(normalizeDateInput, dateSchema);
/** A positive amount of money with at most two decimals. */
const positiveAmount = decimalSchema(2, { min: 0.01 });

export const instalmentInputSchema = z.strictObject({
  dueOn: requiredDate,
  amount: positiveAmount,
  label: nullableText(200),
});
export const updateInstalmentSchema = instalmentInputSchema.partial();

export const paymentInputSchema = z.strictObject({
  /** Default: today. */
  receivedOn: requiredDate.optional(),
  amount: positiveAmount,
  notes: nullableText(2000),
});
export const updatePaymentSchema = paymentInputSchema.partial();

const projectFields = {
  name: requiredText(200),
  /** Free text: 软件实施, 年度服务, 工程 … */
  type: nullableText(100),
  startsOn: optionalDate,
  endsOn: optionalDate,
  status: recordEnum(projectStatusOptions).optional(),
  outcome: nullableText(5000),
  customerFeedback: nullableText(5000),
  contractAmount: decimalSchema(2, { min: 0 }).nullable().optional(),
};

export const createProjectSchema = z.strictObject({
  ...projectFields,
  /** The payment schedule, optional; more instalments can be added later. */
  instalments: z.array(instalmentInputSchema).max(240).optional(),
});
export const updateProjectSchema = z.strictObject(projectFields).partial();

const money = z.string();

export const progressSchema = z.object({
  contract: money.nullable(),
  scheduled: money,
  received: money,
  outstanding: money,
  overdue: money,
  nextDue: z.object({ instalmentId: z.number().int(), dueOn: z.string(), amount: money }).nullable(),
});

export const projectSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  name: z.string(),
  type: z.string().nullable(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  status: z.string(),
  outcome: z.string().nullable(),
  customerFeedback: z.string().nullable(),
  contractAmount: money.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  progress: progressSchema,
});
export type Project = z.infer<typeof projectSchema>;

export const projectDetailSchema = projectSchema.extend({
  instalments: z.array(
    z.object({
      id: z.number().int(),
      dueOn: z.string(),
      amount: money,
      label: z.string().nullable(),
      paid: money,
      remaining: money,
      state: z.enum(['paid', 'partly_paid', 'due', 'overdue']),
    }),
  ),
  payments: z.array(
    z.object({
      id: z.number().int(),
      receivedOn: z.string(),
      amount: money,
      notes: z.string().nullable(),
      createdBy: z.string(),
      createdAt: z.string(),
    }),
  ),
  /** The customer's credit status after this write (overdue instalments set it; see docs/api.md). */
  customerCreditStatus: z.string().nullable(),
});
export type ProjectDetail = z.infer<typeof projectDetailSchema>;
