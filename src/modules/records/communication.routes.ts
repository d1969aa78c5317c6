import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  communicationSchema,
  createCommunicationSchema,
  updateCommunicationSchema,
} from './communication.schemas.js';
import {
  deleteCommunication,
  listCommunications,
  recordCommunication,
  updateCommunication,
} from './communications.js';

const customerParams = z.object({ id: z.coerce.number().int().positive() });
const itemParams = customerParams.extend({ communicationId: z.coerce.number().int().positive() });

export const communicationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/communications',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['records'],
        summary: "A customer's communications (沟通记录), newest first",
        params: customerParams,
        querystring: z.strictObject({
          channel: z.string().optional(),
          limit: z.coerce.number().int().optional(),
          cursor: z.string().optional(),
        }),
        response: {
          200: z.object({
            items: z.array(communicationSchema),
            nextCursor: z.string().nullable(),
            lastContactedAt: z.string().nullable(),
          }),
        },
      },
    },
    (request) => listCommunications(request.ctx, request.params.id, request.query),
  );
  app.post(
    '/customers/:id/communications',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['records'],
        summary: 'Record a communication; the customer’s last-contacted time follows',
        params: customerParams,
        body: createCommunicationSchema,
        response: { 201: communicationSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordCommunication(request.ctx, request.params.id, request.body)),
  );
  app.patch(
    '/customers/:id/communications/:communicationId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['records'],
        summary: 'Correct a communication',
        params: itemParams,
        body: updateCommunicationSchema,
        response: { 200: communicationSchema },
      },
    },
    (request) =>
      updateCommunication(request.ctx, request.params.id, request.params.communicationId, request.body),
  );
  app.delete(
    '/customers/:id/communications/:communicationId',
    {
      config: { permission: 'customers.write' },
      schema: { tags: ['records'], summary: 'Delete a communication', params: itemParams },
    },
    async (request, reply) => {
      await deleteCommunication(request.ctx, request.params.id, request.params.communicationId);
      return reply.status(204).send();
    },
  );
};
