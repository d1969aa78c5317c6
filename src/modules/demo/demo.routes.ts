import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadDemoData } from './load-demo-data.js';

export const demoRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/demo',
    {
      config: { permission: 'demo.load' },
      schema: {
        tags: ['meta'],
        summary: 'Load the demo data set into an empty database',
        body: z.object({ customers: z.number().int().min(1).max(100_000).optional() }).optional(),
        response: {
          201: z.object({
            customers: z.number().int(),
            contacts: z.number().int(),
            transactions: z.number().int(),
          }),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await loadDemoData(request.ctx, { customers: request.body?.customers })),
  );
};
