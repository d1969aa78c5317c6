import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createServiceRecordSchema,
  serviceRecordSchema,
  updateServiceRecordSchema,
} from './service-record.schemas.js';
import {
  createServiceRecord,
  deleteServiceRecord,
  listServiceRecords,
  updateServiceRecord,
} from './service-records.js';

const customerParams = z.object({ id: z.coerce.number().int().positive() });
const itemParams = customerParams.extend({ recordId: z.coerce.number().int().positive() });

export const serviceRecordRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/service-records',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['records'],
        summary: "A customer's service records (服务记录), newest first",
        params: customerParams,
        querystring: z.strictObject({
          status: z.string().optional(),
          category: z.string().optional(),
          limit: z.coerce.number().int().optional(),
          cursor: z.string().optional(),
        }),
        response: {
          200: z.object({ items: z.array(serviceRecordSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    (request) => listServiceRecords(request.ctx, request.params.id, request.query),
  );
  app.post(
    '/customers/:id/service-records',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['records'],
        summary: 'Record a service request',
        params: customerParams,
        body: createServiceRecordSchema,
        response: { 201: serviceRecordSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createServiceRecord(request.ctx, request.params.id, request.body)),
  );
  app.patch(
    '/customers/:id/service-records/:recordId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['records'],
        summary: 'Change a service record; resolvedAt follows the status',
        params: itemParams,
        body: updateServiceRecordSchema,
        response: { 200: serviceRecordSchema },
      },
    },
    (request) => updateServiceRecord(request.ctx, request.params.id, request.params.recordId, request.body),
  );
  app.delete(
    '/customers/:id/service-records/:recordId',
    {
      config: { permission: 'customers.write' },
      schema: { tags: ['records'], summary: 'Delete a service record', params: itemParams },
    },
    async (request, reply) => {
      await deleteServiceRecord(request.ctx, request.params.id, request.params.recordId);
      return reply.status(204).send();
    },
  );
};
