import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COMPLETENESS_WEIGHTS } from './completeness.js';
import {
  DEFAULT_INCOMPLETE_BELOW,
  DEFAULT_STALE_DAYS,
  listIncompleteCustomers,
  listStaleCustomers,
  qualitySummary,
} from './data-quality.js';

const weights = COMPLETENESS_WEIGHTS.map(({ field, weight }) => `${field} ${weight}`).join(', ');
const page = {
  limit: z.coerce.number().int().min(1).max(500).optional().describe('1–500, default 50'),
  offset: z.coerce.number().int().min(0).optional(),
};
const days = z.coerce
  .number()
  .int()
  .min(1)
  .max(3650)
  .optional()
  .describe(`Stale after this many days without update, purchase or contact (default ${DEFAULT_STALE_DAYS})`);
const below = z.coerce
  .number()
  .int()
  .min(1)
  .max(101)
  .optional()
  .describe(`Incomplete below this score (default ${DEFAULT_INCOMPLETE_BELOW})`);

export const qualityRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/quality/summary',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['quality'],
        summary: `Data quality of the customers in your scope: completeness by band (weights: ${weights}), stale count`,
        querystring: z.object({ staleDays: days, below }),
        response: {
          200: z.object({
            customers: z.number().int(),
            averageScore: z.number().nullable(),
            bands: z.array(
              z.object({
                band: z.string(),
                min: z.number().int(),
                max: z.number().int(),
                count: z.number().int(),
              }),
            ),
            incomplete: z.number().int(),
            incompleteBelow: z.number().int(),
            stale: z.number().int(),
            staleDays: z.number().int(),
            fields: z.array(
              z.object({ field: z.string(), weight: z.number().int(), filled: z.number().int() }),
            ),
          }),
        },
      },
    },
    (request) => qualitySummary(request.ctx, request.query),
  );

  app.get(
    '/quality/incomplete',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['quality'],
        summary: 'Customers whose completeness score is below a threshold, with the fields they miss',
        querystring: z.object({
          below,
          sort: z
            .enum(['score', '-score', 'code', 'name', 'updatedAt', '-updatedAt'])
            .optional()
            .describe('Default score (lowest first)'),
          ...page,
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                code: z.string(),
                name: z.string(),
                owner: z.string().nullable(),
                score: z.number().int(),
                missing: z.array(z.string()),
                updatedAt: z.string(),
              }),
            ),
            total: z.number().int(),
          }),
        },
      },
    },
    (request) => listIncompleteCustomers(request.ctx, request.query),
  );

  app.get(
    '/quality/stale',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['quality'],
        summary: 'Customers not updated, bought from or contacted for N days, longest idle first',
        querystring: z.object({ days, ...page }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                code: z.string(),
                name: z.string(),
                owner: z.string().nullable(),
                updatedAt: z.string(),
                lastPurchaseOn: z.string().nullable(),
                lastContactedAt: z.string().nullable(),
                idleDays: z.number().int(),
              }),
            ),
            total: z.number().int(),
            days: z.number().int(),
          }),
        },
      },
    },
    (request) => listStaleCustomers(request.ctx, request.query),
  );
};
