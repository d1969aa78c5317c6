import { z } from 'zod';
import { channelOptions, directionOptions } from '../../domain/records/options.js';
import { dateTimeSchema, idSchema, nullableText, recordEnum, requiredText } from './record-fields.js';

const communicationFields = {
  /** When it happened; default now. A wall time without offset is China time. */
  occurredAt: dateTimeSchema,
  channel: recordEnum(channelOptions),
  direction: recordEnum(directionOptions),
  content: requiredText(5000),
  /** Contacts of this customer who took part. */
  contactIds: z.array(idSchema).max(50),
  /** Staff (user ids) who took part. */
  staffIds: z.array(idSchema).max(50),
  /** The next step agreed. */
  nextStep: nullableText(1000),
};

export const createCommunicationSchema = z.strictObject({
  ...communicationFields,
  occurredAt: communicationFields.occurredAt.optional(),
  direction: communicationFields.direction.optional(),
  contactIds: communicationFields.contactIds.optional(),
  staffIds: communicationFields.staffIds.optional(),
});
export type CreateCommunicationInput = z.input<typeof createCommunicationSchema>;

export const updateCommunicationSchema = createCommunicationSchema.partial();

export const communicationSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  occurredAt: z.string(),
  channel: z.string(),
  direction: z.string(),
  content: z.string(),
  contactIds: z.array(z.number().int()),
  contacts: z.array(z.object({ id: z.number().int(), name: z.string() })),
  staffIds: z.array(z.number().int()),
  staff: z.array(
    z.object({ id: z.number().int(), username: z.string(), displayName: z.string().nullable() }),
  ),
  nextStep: z.string().nullable(),
  followupId: z.number().int().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Communication = z.infer<typeof communicationSchema>;
