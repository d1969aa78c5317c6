import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../shared/context.js';
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

export const customFieldRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/custom-fields',
    {
      schema: {
        tags: ['custom fields'],
        summary: 'Custom field definitions',
        response: { 200: z.object({ items: z.array(customFieldSchema) }) },
      },
    },
    async () => ({ items: await listCustomFields(ctx.db) }),
  );
  app.get(
    '/custom-fields/:key',
    { schema: { tags: ['custom fields'], params: keyParams, response: { 200: customFieldSchema } } },
    (request) => getCustomField(ctx, request.params.key),
  );
  app.post(
    '/custom-fields',
    {
      schema: {
        tags: ['custom fields'],
        summary: 'Define a custom field (no code change needed)',
        body: createCustomFieldSchema,
        response: { 201: customFieldSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createCustomField(ctx, request.body)),
  );
  app.patch(
    '/custom-fields/:key',
    {
      schema: {
        tags: ['custom fields'],
        summary: 'Change labels, options, required flag or position',
        params: keyParams,
        body: updateCustomFieldSchema,
        response: { 200: customFieldSchema },
      },
    },
    (request) => updateCustomField(ctx, request.params.key, request.body),
  );
  app.delete(
    '/custom-fields/:key',
    { schema: { tags: ['custom fields'], summary: 'Delete a field and its values', params: keyParams } },
    async (request, reply) => {
      await deleteCustomField(ctx, request.params.key);
      return reply.status(204).send();
    },
  );
};
