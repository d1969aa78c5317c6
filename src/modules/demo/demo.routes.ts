import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../shared/context.js';
import { loadDemoData } from './load-demo-data.js';

export const demoRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/demo',
    {
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
      reply.status(201).send(await loadDemoData(ctx, { customers: request.body?.customers })),
  );
};
