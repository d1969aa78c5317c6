import { z } from 'zod';
import { followupMethodLabels, followupMethods } from '../../domain/followups/methods.js';

/** Accepts a method's key or its Chinese / English label (拜访, Phone call …). */
function methodKey(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const wanted = value.trim().toLowerCase();
  const found = followupMethods.find((key) =>
    [key, followupMethodLabels[key].zh, followupMethodLabels[key].en.toLowerCase()].includes(wanted),
  );
  return found ?? value.trim();
}

export const methodSchema = z.preprocess(
  methodKey,
  z.enum(followupMethods, {
    error: () =>
      `须为以下之一：${followupMethods.map((key) => `${key}（${followupMethodLabels[key].zh}）`).join('、')} / Must be one of: ${followupMethods.join(', ')}`,
  }),
);

const text = (max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
    z.string().trim().max(max).nullable().optional(),
  );

/** A due time as written (checked by parseDueAt in the use case, so the message names the field). */
const dueText = z.string().max(40);

export const createFollowupSchema = z.strictObject({
  dueAt: dueText.describe('2026-12-01 (09:00 China time), 2026-12-01 14:30 (China time) or an ISO instant'),
  method: methodSchema,
  content: text(2000),
  goal: text(1000),
  expectedResult: text(1000),
  /** The owner's username; default: the customer's owner, else the caller. */
  owner: z.string().min(1).max(64).optional(),
  ownerId: z.number().int().positive().optional(),
});
export type CreateFollowupInput = z.input<typeof createFollowupSchema>;

export const updateFollowupSchema = createFollowupSchema.partial();
export type UpdateFollowupInput = z.input<typeof updateFollowupSchema>;

export const completeFollowupSchema = z.strictObject({
  outcome: z.string().trim().min(1).max(4000),
  /** When the follow-up actually happened (default: now). */
  occurredAt: dueText.optional(),
  /** Plan the next follow-up (same method and owner unless given). */
  nextDueAt: dueText.optional(),
  nextMethod: methodSchema.optional(),
  nextContent: text(2000),
});
export type CompleteFollowupInput = z.input<typeof completeFollowupSchema>;

export const skipFollowupSchema = z.strictObject({
  reason: z.string().trim().min(1).max(1000),
});

export const followupStatuses = ['planned', 'done', 'skipped'] as const;

export const followupSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  customer: z.string().describe('customer code'),
  customerName: z.string(),
  dueAt: z.string(),
  method: z.enum(followupMethods),
  content: z.string().nullable(),
  goal: z.string().nullable(),
  expectedResult: z.string().nullable(),
  ownerId: z.number().int().nullable(),
  owner: z.string().nullable(),
  status: z.enum(followupStatuses),
  overdue: z.boolean().describe('planned and due before now'),
  outcome: z.string().nullable().describe('done: what happened; skipped: why'),
  completedAt: z.string().nullable(),
  communicationId: z.number().int().nullable(),
  source: z.enum(['manual', 'cadence']),
  scheme: z.string().nullable(),
  tier: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Followup = z.infer<typeof followupSchema>;
