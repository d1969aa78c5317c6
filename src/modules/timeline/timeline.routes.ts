import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { timelineKinds } from '../../domain/timeline/describe.js';
import { customerTimeline } from './timeline.js';

const itemSchema = z.object({
  kind: z.enum(timelineKinds),
  id: z.number().int(),
  at: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  summary: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export const timelineRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/timeline',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['timeline'],
        summary: `A customer's timeline, newest first: ${timelineKinds.join(', ')}`,
        params: z.object({ id: z.coerce.number().int().positive() }),
        querystring: z.strictObject({
          kinds: z
            .union([z.string(), z.array(z.string())])
            .optional()
            .describe('comma-separated, e.g. communication,transaction'),
          limit: z.coerce.number().int().optional().describe('1–200, default 50'),
          cursor: z.string().optional().describe('nextCursor of the previous page'),
        }),
        response: { 200: z.object({ items: z.array(itemSchema), nextCursor: z.string().nullable() }) },
      },
    },
    (request) => customerTimeline(request.ctx, request.params.id, request.query),
  );
};
