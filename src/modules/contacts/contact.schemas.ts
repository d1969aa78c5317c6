import { z } from 'zod';
import { optionalBoolean, optionalEmail, optionalPhone, optionalText } from '../../shared/fields.js';

export const contactFieldsSchema = z.object({
  name: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : value),
    z.string().min(1).max(100),
  ),
  title: optionalText(100),
  phone: optionalPhone,
  email: optionalEmail,
  wechat: optionalText(100),
  qq: optionalText(20),
  address: optionalText(500),
  isPrimary: optionalBoolean,
  notes: optionalText(2000),
});

export const createContactSchema = contactFieldsSchema;
export const updateContactSchema = contactFieldsSchema.partial();

export const contactSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  name: z.string(),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  wechat: z.string().nullable(),
  qq: z.string().nullable(),
  address: z.string().nullable(),
  isPrimary: z.boolean(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof contactSchema>;
