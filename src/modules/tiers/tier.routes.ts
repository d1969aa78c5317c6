import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { schemeInputSchema } from '../../domain/tiers/scheme.js';
import {
  customerTierHistory,
  customerTiers,
  listAssignments,
  overrideTier,
  releaseOverride,
  tierDistribution,
} from './assignments.js';
import { runBacktest } from './backtest.js';
import { exportNoticesCsv, listNotices, markNotices, noticeStatuses } from './notices.js';
import { listReviews, runReview } from './reviews.js';
import {
  createScheme,
  getScheme,
  listSchemes,
  listSchemeVersions,
  presetList,
  setSchemeActive,
  updateScheme,
} from './schemes.js';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const schemeParams = z.object({ id: z.string().min(1).max(63) });
const customerParams = z.object({ id: z.coerce.number().int().positive() });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const metricValues = z.record(z.string(), z.union([z.string(), z.array(z.string().nullable()), z.null()]));

const storedScheme = z.object({
  id: z.string(),
  version: z.number().int(),
  active: z.boolean(),
  definition: schemeInputSchema,
});
const change = z.object({
  customerId: z.number().int(),
  customer: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  rule: z.string(),
  stepped: z.boolean(),
  metrics: metricValues,
  reason: bilingual,
});
const reviewResult = z.object({
  scheme: z.string(),
  version: z.number().int(),
  asOf: z.string(),
  dryRun: z.boolean(),
  reviewId: z.number().int().nullable(),
  changesTotal: z.number().int(),
  changes: z.array(change),
  counts: z.record(z.string(), z.number().int()),
});
const assignment = z.object({
  customerId: z.number().int(),
  customer: z.string(),
  name: z.string(),
  tier: z.string(),
  since: z.string(),
  schemeVersion: z.number().int(),
  override: z
    .object({
      reason: z.string(),
      by: z.string(),
      at: z.string(),
      locked: z.boolean(),
      until: z.string().nullable(),
    })
    .nullable(),
});
const historyEntry = z.object({
  id: z.number().int(),
  scheme: z.string(),
  schemeVersion: z.number().int(),
  date: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  kind: z.enum(['review', 'override']),
  rule: z.string().nullable(),
  stepped: z.boolean(),
  metrics: metricValues,
  reason: bilingual,
  actor: z.string(),
  createdAt: z.string(),
});
const notice = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  customer: z.string(),
  customerName: z.string(),
  scheme: z.string(),
  date: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  status: z.enum(noticeStatuses),
  text: bilingual,
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
const backtestResult = z.object({
  scheme: z.string(),
  draft: z.boolean(),
  comparedWith: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  every: z.enum(['month', 'quarter']),
  periods: z.array(
    z.object({
      asOf: z.string(),
      counts: z.record(z.string(), z.number().int()),
      changes: z.number().int(),
      differentFromCurrent: z.number().int().nullable(),
    }),
  ),
  differentFromAssigned: z.number().int().nullable(),
});

export const tierRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/tiers/presets',
    {
      config: { permission: 'tiers.read' },
      schema: {
        tags: ['tiers'],
        summary: 'Ready-made schemes from the worked examples',
        response: { 200: z.object({ items: z.array(schemeInputSchema) }) },
      },
    },
    async () => ({ items: presetList() }),
  );
  app.get(
    '/tiers/schemes',
    {
      config: { permission: 'tiers.read' },
      schema: {
        tags: ['tiers'],
        summary: 'Tier schemes',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                version: z.number().int(),
                active: z.boolean(),
                name: bilingual,
                cadence: z.string(),
                tiers: z.array(z.object({ key: z.string(), name: bilingual, rank: z.number().int() })),
                assigned: z.number().int(),
                lastReviewOn: z.string().nullable(),
                createdAt: z.string(),
                updatedAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await listSchemes(request.ctx.db) }),
  );
  app.post(
    '/tiers/schemes',
    {
      config: { permission: 'tiers.manage' },
      schema: {
        tags: ['tiers'],
        summary: 'Create a scheme from a definition or a preset',
        body: z.object({
          preset: z.string().optional(),
          id: z.string().optional(),
          definition: z.unknown().optional(),
        }),
        response: { 201: storedScheme },
      },
    },
    async (request, reply) => reply.status(201).send(await createScheme(request.ctx, request.body)),
  );
  app.get(
    '/tiers/schemes/:id',
    {
      config: { permission: 'tiers.read' },
      schema: {
        tags: ['tiers'],
        summary: 'A scheme (current version, or ?version=N)',
        params: schemeParams,
        querystring: z.object({ version: z.coerce.number().int().positive().optional() }),
        response: {
          200: storedScheme.extend({
            versions: z.array(
              z.object({ version: z.number().int(), createdBy: z.string(), createdAt: z.string() }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      ...(await getScheme(request.ctx.db, request.params.id, request.query.version)),
      versions: await listSchemeVersions(request.ctx.db, request.params.id),
    }),
  );
  app.put(
    '/tiers/schemes/:id',
    {
      config: { permission: 'tiers.manage' },
      schema: {
        tags: ['tiers'],
        summary: 'Save an edited definition as the next version',
        params: schemeParams,
        body: z.record(z.string(), z.unknown()),
        response: { 200: storedScheme },
      },
    },
    (request) => updateScheme(request.ctx, request.params.id, request.body),
  );
  app.patch(
    '/tiers/schemes/:id',
    {
      config: { permission: 'tiers.manage' },
      schema: {
        tags: ['tiers'],
        summary: 'Turn scheduled reviews on or off',
        params: schemeParams,
        body: z.object({ active: z.boolean() }),
        response: { 200: storedScheme },
      },
    },
    (request) => setSchemeActive(request.ctx, request.params.id, request.body.active),
  );
  app.post(
    '/tiers/schemes/:id/reviews',
    {
      config: { permission: 'tiers.manage' },
      schema: {
        tags: ['tiers'],
        summary: 'Review a scheme at an as-of date (dry run or apply)',
        params: schemeParams,
        body: z.object({
          asOf: date,
          dryRun: z.boolean().default(true),
          changeLimit: z.number().int().min(0).max(10_000).default(1000),
        }),
        response: { 200: reviewResult },
      },
    },
    async (request) =>
      (await runReview(request.ctx, {
        schemeId: request.params.id,
        asOf: request.body.asOf,
        dryRun: request.body.dryRun,
        changeLimit: request.body.changeLimit,
      })) as z.infer<typeof reviewResult>,
  );
  app.get(
    '/tiers/schemes/:id/reviews',
    {
      config: { permission: 'tiers.read' },
      schema: {
        tags: ['tiers'],
        summary: 'Reviews applied to a scheme, newest first',
        params: schemeParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                scheme: z.string(),
                version: z.number().int(),
                asOf: z.string(),
                trigger: z.enum(['manual', 'schedule']),
                period: z.string().nullable(),
                changes: z.number().int(),
                counts: z.record(z.string(), z.number().int()),
                actor: z.string(),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await listReviews(request.ctx.db, request.params.id) }),
  );
  app.get(
    '/tiers/schemes/:id/assignments',
    {
      config: { permission: 'tiers.read' },
      schema: {
        tags: ['tiers'],
        summary: 'Customers and their tier in a scheme (within your data scope)',
        params: schemeParams,
        querystring: z.object({
          tier: z.string().optional(),
          cursor: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(assignment), nextCursor: z.string().nullable() }) },
      },
    },
    (request) =>
      listAssignments(request.ctx, request.params.id, {
        tier: request.query.tier,
        after: request.query.cursor,
        limit: request.query.limit,
      }),
  );
  app.get(
    '/tiers/schemes/:id/distribution',
    {
      config: { permission: 'tiers.read' },
      schema: {
        tags: ['tiers'],
        summary: 'Customers per tier now, and after each review',
        params: schemeParams,
        response: {
          200: z.object({
            current: z.record(z.string(), z.number().int()),
            overTime: z.array(z.object({ asOf: z.string(), counts: z.record(z.string(), z.number().int()) })),
          }),
        },
      },
    },
    (request) => tierDistribution(request.ctx, request.params.id),
  );
  app.post(
    '/tiers/backtests',
    {
      config: { permission: 'tiers.manage' },
      schema: {
        tags: ['tiers'],
        summary: 'Run a scheme or an unsaved draft over history; writes nothing',
        body: z.object({
          scheme: z.string().optional(),
          definition: z.unknown().optional(),
          from: date,
          to: date,
          every: z.enum(['month', 'quarter']).default('month'),
        }),
        response: { 200: backtestResult },
      },
    },
    (request) => runBacktest(request.ctx, request.body),
  );
  app.get(
    '/customers/:id/tiers',
    {
      config: { permission: 'tiers.read' },
      schema: {
        tags: ['tiers'],
        summary: "A customer's tiers in every scheme, and the history with reasons",
        params: customerParams,
        querystring: z.object({ scheme: z.string().optional() }),
        response: {
          200: z.object({
            items: z.array(assignment.extend({ scheme: z.string() })),
            history: z.array(historyEntry),
          }),
        },
      },
    },
    async (request) => ({
      items: await customerTiers(request.ctx, request.params.id),
      history: await customerTierHistory(request.ctx, request.params.id, request.query.scheme),
    }),
  );
  app.post(
    '/customers/:id/tiers/:scheme/override',
    {
      config: { permission: 'tiers.override' },
      schema: {
        tags: ['tiers'],
        summary: 'Set the tier by hand, with a reason; optionally locked until a date',
        params: customerParams.extend({ scheme: z.string() }),
        body: z.object({
          tier: z.string(),
          reason: z.string().max(1000),
          lock: z.boolean().default(true),
          until: date.nullable().optional(),
        }),
        response: { 200: assignment.extend({ scheme: z.string() }) },
      },
    },
    (request) =>
      overrideTier(request.ctx, request.params.id, { ...request.body, scheme: request.params.scheme }),
  );
  app.delete(
    '/customers/:id/tiers/:scheme/override',
    {
      config: { permission: 'tiers.override' },
      schema: {
        tags: ['tiers'],
        summary: 'Release a locked override; the next review decides again',
        params: customerParams.extend({ scheme: z.string() }),
      },
    },
    async (request, reply) => {
      await releaseOverride(request.ctx, request.params.id, request.params.scheme);
      return reply.status(204).send();
    },
  );
  app.get(
    '/tiers/notices',
    {
      config: { permission: 'tiers.manage' },
      schema: {
        tags: ['tiers'],
        summary: 'Customer notices of tier changes (the outbox); ?format=csv exports them',
        querystring: z.object({
          status: z.enum(noticeStatuses).optional(),
          scheme: z.string().optional(),
          after: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
          format: z.enum(['json', 'csv']).default('json'),
        }),
      },
    },
    async (request, reply) => {
      const filter = {
        status: request.query.status,
        scheme: request.query.scheme,
        afterId: request.query.after,
        limit: request.query.limit,
      };
      if (request.query.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="tier-notices.csv"')
          .send(await exportNoticesCsv(request.ctx, filter));
      }
      const items = z.array(notice).parse(await listNotices(request.ctx, filter));
      return { items };
    },
  );
  app.post(
    '/tiers/notices/mark',
    {
      config: { permission: 'tiers.manage' },
      schema: {
        tags: ['tiers'],
        summary: 'Mark pending notices as sent or cancelled',
        body: z.object({
          ids: z.array(z.number().int().positive()).max(10_000),
          status: z.enum(['sent', 'cancelled']),
        }),
        response: { 200: z.object({ updated: z.number().int() }) },
      },
    },
    async (request) => ({ updated: await markNotices(request.ctx, request.body.ids, request.body.status) }),
  );
};
