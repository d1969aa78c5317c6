import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  collaboratorInputSchema,
  listCollaborators,
  removeCollaborator,
  setCollaborator,
} from './collaborators.js';
import { createCustomer } from './create-customer.js';
import {
  createCustomerSchema,
  customerSchema,
  customerWithContactsSchema,
  updateCustomerSchema,
} from './customer.schemas.js';
import { deleteCustomer, getCustomer, getCustomerByCode, revealPersonalFields } from './get-customer.js';
import { COUNT_CAP, type ListParams, listCustomers } from './list-customers.js';
import { ownershipHistory, transferCustomer } from './transfer-customer.js';
import { updateCustomer } from './update-customer.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const stringOrList = z.union([z.string(), z.array(z.string())]).optional();

const listQuery = z.looseObject({
  search: z
    .string()
    .optional()
    .describe('Name, company, contact, phone in any format, e-mail, pinyin or initials'),
  type: stringOrList,
  stage: stringOrList,
  status: stringOrList,
  industry: stringOrList,
  province: stringOrList,
  city: stringOrList,
  tag: stringOrList.describe('All of these tags'),
  anyTag: stringOrList.describe('Any of these tags'),
  sort: z.string().optional().describe('Field name, `-` prefix for descending; cf.KEY for a custom field'),
  limit: z.string().optional().describe('1–500, default 50'),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
  exactTotal: z
    .string()
    .optional()
    .describe(
      `true (1, yes): count every match; by default matches are counted up to ${COUNT_CAP} (totalIsExact false beyond)`,
    ),
});

const pageSchema = z.object({
  items: z.array(customerSchema),
  total: z
    .number()
    .int()
    .describe(`Matching customers; ${COUNT_CAP} when more match and exactTotal was not asked for`),
  totalIsExact: z
    .boolean()
    .describe(
      `false when more than ${COUNT_CAP} customers match and total is ${COUNT_CAP} ("${COUNT_CAP}+")`,
    ),
  nextCursor: z.string().nullable(),
});

export const customerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        summary: 'List and search customers (filters: see docs/api.md)',
        querystring: listQuery,
        response: { 200: pageSchema },
      },
    },
    (request) => listCustomers(request.ctx, request.query as ListParams),
  );

  app.post(
    '/customers',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['customers'],
        summary: 'Create a customer',
        body: createCustomerSchema,
        response: { 201: customerSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createCustomer(request.ctx, request.body)),
  );

  app.get(
    '/customers/:id',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        summary: 'Get a customer with its contacts',
        params: idParams,
        response: { 200: customerWithContactsSchema },
      },
    },
    (request) => getCustomer(request.ctx, request.params.id),
  );

  app.get(
    '/customers/by-code/:code',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        summary: 'Get a customer by its number, with its contacts',
        params: z.object({ code: z.string().min(1) }),
        response: { 200: customerWithContactsSchema },
      },
    },
    (request) => getCustomerByCode(request.ctx, request.params.code),
  );

  app.patch(
    '/customers/:id',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['customers'],
        summary: 'Update a customer (send the version you read; 409 if it changed)',
        params: idParams,
        body: updateCustomerSchema,
        response: { 200: customerSchema },
      },
    },
    (request) => updateCustomer(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/customers/:id',
    {
      config: { permission: 'customers.delete' },
      schema: {
        tags: ['customers'],
        summary: 'Delete a customer with its contacts and transactions',
        params: idParams,
      },
    },
    async (request, reply) => {
      await deleteCustomer(request.ctx, request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/customers/:id/transfer',
    {
      config: { permission: 'customers.transfer' },
      schema: {
        tags: ['customers'],
        summary: 'Transfer the customer to another owner (转移), with history',
        params: idParams,
        body: z.object({ to: z.string().min(1), reason: z.string().max(500).optional() }),
        response: { 200: customerSchema },
      },
    },
    async (request) => {
      const customer = await getCustomer(request.ctx, request.params.id);
      return transferCustomer(request.ctx, customer.code, request.body.to, request.body.reason ?? null);
    },
  );

  app.get(
    '/customers/:id/transfers',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        summary: 'Ownership history',
        params: idParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                at: z.string(),
                from: z.string().nullable(),
                to: z.string().nullable(),
                actor: z.string(),
                reason: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await ownershipHistory(request.ctx, request.params.id) }),
  );

  const collaboratorSchema = z.object({
    userId: z.number().int(),
    username: z.string(),
    access: z.enum(['read', 'write']),
    until: z.string().nullable(),
  });
  app.get(
    '/customers/:id/collaborators',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        params: idParams,
        response: { 200: z.object({ items: z.array(collaboratorSchema) }) },
      },
    },
    async (request) => ({ items: await listCollaborators(request.ctx, request.params.id) }),
  );
  app.put(
    '/customers/:id/collaborators/:username',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['customers'],
        summary: 'Give a colleague read or write access to this customer (协作人), optionally until a date',
        params: idParams.extend({ username: z.string() }),
        body: collaboratorInputSchema,
        response: { 200: z.object({ items: z.array(collaboratorSchema) }) },
      },
    },
    async (request) => ({
      items: await setCollaborator(request.ctx, request.params.id, request.params.username, request.body),
    }),
  );
  app.delete(
    '/customers/:id/collaborators/:username',
    {
      config: { permission: 'customers.write' },
      schema: { tags: ['customers'], params: idParams.extend({ username: z.string() }) },
    },
    async (request, reply) => {
      await removeCollaborator(request.ctx, request.params.id, request.params.username);
      return reply.status(204).send();
    },
  );

  app.post(
    '/customers/:id/reveal',
    {
      config: { permission: 'personal.view' },
      schema: {
        tags: ['customers'],
        summary: 'Reveal masked personal fields in full (audited)',
        params: idParams,
        body: z.object({ fields: z.array(z.enum(['phone', 'email', 'wechat', 'qq', 'address'])).min(1) }),
        response: { 200: z.record(z.string(), z.string().nullable()) },
      },
    },
    (request) => revealPersonalFields(request.ctx, request.params.id, request.body.fields),
  );
};
