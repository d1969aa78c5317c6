import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createCustomFieldSchema,
  customFieldSchema,
  updateCustomFieldSchema,
} from './custom-field.schemas.js';
import {
  createCustomField,
  deleteCustomField,
  getCustomField,
  listCustomFields,
  updateCustomField,
} from './custom-fields.js';

const keyParams = z.object({ key: z.string() });

export const customFieldRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/custom-fields',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['custom fields'],
        summary: 'Custom field definitions',
        response: { 200: z.object({ items: z.array(customFieldSchema) }) },
      },
    },
    async (request) => ({ items: await listCustomFields(request.ctx.db) }),
  );
  app.get(
    '/custom-fields/:key',
    {
      config: { permission: 'customers.read' },
      schema: { tags: ['custom fields'], params: keyParams, response: { 200: customFieldSchema } },
    },
    (request) => getCustomField(request.ctx, request.params.key),
  );
  app.post(
    '/custom-fields',
    {
      config: { permission: 'custom-fields.manage' },
      schema: {
        tags: ['custom fields'],
        summary: 'Define a custom field (no code change needed)',
        body: createCustomFieldSchema,
        response: { 201: customFieldSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createCustomField(request.ctx, request.body)),
  );
  app.patch(
    '/custom-fields/:key',
    {
      config: { permission: 'custom-fields.manage' },
      schema: {
        tags: ['custom fields'],
        summary: 'Change labels, options, required flag or position',
        params: keyParams,
        body: updateCustomFieldSchema,
        response: { 200: customFieldSchema },
      },
    },
    (request) => updateCustomField(request.ctx, request.params.key, request.body),
  );
  app.delete(
    '/custom-fields/:key',
    {
      config: { permission: 'custom-fields.manage' },
      schema: { tags: ['custom fields'], summary: 'Delete a field and its values', params: keyParams },
    },
    async (request, reply) => {
      await deleteCustomField(request.ctx, request.params.key);
      return reply.status(204).send();
    },
  );
};
