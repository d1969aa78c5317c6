import { z } from 'zod';
import { customerEnums } from '../../domain/customers/enums.js';
import {
  optionalBoolean,
  optionalDate,
  optionalEmail,
  optionalEnum,
  optionalInteger,
  optionalPhone,
  optionalText,
  tagsSchema,
} from '../../shared/fields.js';
import { contactSchema } from '../contacts/contact.schemas.js';

/** Every writable standard field of a customer, as the API, the CLI and imports name it. */
export const customerFieldsSchema = z.object({
  code: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : value),
    z.string().min(1).max(64),
  ),
  name: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : value),
    z.string().min(1).max(200),
  ),
  type: optionalEnum('type'),
  company: optionalText(200),
  stage: optionalEnum('stage'),
  status: optionalEnum('status'),
  vip: optionalBoolean,
  industry: optionalText(100),
  source: optionalText(100),
  companySize: optionalEnum('companySize'),
  province: optionalText(50),
  city: optionalText(50),
  address: optionalText(500),
  phone: optionalPhone,
  email: optionalEmail,
  wechat: optionalText(100),
  qq: z.preprocess(
    blankDigits,
    z
      .string()
      .regex(/^\d{5,12}$/)
      .nullable()
      .optional(),
  ),
  birthYear: optionalInteger(1900, 2100),
  ageBand: optionalEnum('ageBand'),
  gender: optionalEnum('gender'),
  occupation: optionalText(100),
  incomeLevel: optionalEnum('incomeLevel'),
  firstContactOn: optionalDate,
  cooperationStartOn: optionalDate,
  paymentMethod: optionalText(100),
  creditStatus: optionalEnum('creditStatus'),
  needs: optionalText(2000),
  purchasePreferences: optionalText(2000),
  communicationChannel: optionalEnum('communicationChannel'),
  communicationTime: optionalText(100),
  interests: optionalText(2000),
  serviceExpectations: optionalText(2000),
  notes: optionalText(5000),
  tags: tagsSchema,
  ownerId: optionalInteger(1, Number.MAX_SAFE_INTEGER),
  custom: z.record(z.string(), z.unknown()),
});

function blankDigits(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value;
  return value.trim() === '' ? null : value.trim();
}

/** The owner may be given by username (`owner`, as spreadsheets hold it) instead of `ownerId`. */
const ownerByName = { owner: optionalText(64) };

export const createCustomerSchema = customerFieldsSchema
  .partial()
  .required({ name: true })
  .extend(ownerByName);
export type CreateCustomerInput = z.input<typeof createCustomerSchema>;
export type CreateCustomer = z.output<typeof createCustomerSchema>;

export const updateCustomerSchema = customerFieldsSchema
  .partial()
  .extend({ ...ownerByName, version: z.number().int().positive() });
export type UpdateCustomer = z.output<typeof updateCustomerSchema>;

/** The standard fields an API client, a CSV header or a filter may name (custom fields aside). */
export type CustomerFieldName = Exclude<keyof z.output<typeof customerFieldsSchema>, 'custom'>;
export const customerFieldNames = Object.keys(customerFieldsSchema.shape).filter(
  (name) => name !== 'custom',
) as CustomerFieldName[];

const nullableString = z.string().nullable();
const enumOut = (name: keyof typeof customerEnums) =>
  z.enum(customerEnums[name].map((option) => option.value) as [string, ...string[]]);

/** A customer as the API returns it. */
export const customerSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  type: enumOut('type'),
  company: nullableString,
  stage: enumOut('stage'),
  status: enumOut('status'),
  vip: z.boolean(),
  industry: nullableString,
  source: nullableString,
  companySize: enumOut('companySize').nullable(),
  province: nullableString,
  city: nullableString,
  address: nullableString,
  phone: nullableString,
  email: nullableString,
  wechat: nullableString,
  qq: nullableString,
  birthYear: z.number().int().nullable(),
  ageBand: enumOut('ageBand').nullable(),
  gender: enumOut('gender').nullable(),
  occupation: nullableString,
  incomeLevel: enumOut('incomeLevel').nullable(),
  firstContactOn: nullableString,
  cooperationStartOn: nullableString,
  paymentMethod: nullableString,
  creditStatus: enumOut('creditStatus').nullable(),
  needs: nullableString,
  purchasePreferences: nullableString,
  communicationChannel: enumOut('communicationChannel').nullable(),
  communicationTime: nullableString,
  interests: nullableString,
  serviceExpectations: nullableString,
  notes: nullableString,
  tags: z.array(z.string()),
  ownerId: z.number().int().nullable(),
  owner: nullableString.describe('Username of the owner'),
  custom: z.record(z.string(), z.unknown()),
  totalSpent: z.string().describe('Sum of transaction amounts, exact decimal'),
  orderCount: z.number().int(),
  averageOrderValue: nullableString,
  firstPurchaseOn: nullableString,
  lastPurchaseOn: nullableString,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Customer = z.infer<typeof customerSchema>;

/** One customer as GET /api/customers/:id returns it: with its contacts, primary first. */
export const customerWithContactsSchema = customerSchema.extend({ contacts: z.array(contactSchema) });
export type CustomerWithContacts = z.infer<typeof customerWithContactsSchema>;
