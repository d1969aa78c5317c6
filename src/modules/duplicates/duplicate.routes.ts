import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customerSchema } from '../customers/customer.schemas.js';
import { findDuplicateCustomers } from './find-duplicates.js';
import { mergeCustomers, mergeInputSchema } from './merge-customers.js';
import { getMerge, listMerges } from './merges.js';
import { unmergeCustomers } from './unmerge-customers.js';

const level = z.enum(['duplicate', 'possible']);
const matchKind = z.enum(['phone', 'email', 'same_name', 'same_pinyin', 'similar_name']);
const brief = z.object({ id: z.number().int(), code: z.string(), name: z.string() });
const counts = z.record(z.string(), z.number().int());

const groupSchema = z.object({
  level: level.describe('duplicate: shared phone or e-mail; possible: similar names only'),
  members: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      name: z.string(),
      type: z.string(),
      owner: z.string().nullable(),
    }),
  ),
  matches: z.array(
    z.object({
      kind: matchKind,
      customers: z.array(z.string()).describe('Codes of the customers sharing it'),
      viaContact: z.array(z.string()).optional().describe('Of those, the ones sharing it through a contact'),
      key: z.string().optional().describe('The normalised name or its pinyin'),
      distance: z.number().int().optional().describe('Edits between the names (similar_name)'),
    }),
  ),
});

const mergeSummarySchema = z.object({
  id: z.number().int(),
  survivor: z.object({ id: z.number().int(), code: z.string() }),
  removed: z.array(brief),
  taken: z.record(z.string(), z.string()),
  moved: counts,
  setAside: counts,
  actor: z.string(),
  mergedAt: z.string(),
  undoneAt: z.string().nullable(),
  undoneBy: z.string().nullable(),
});

const mergeResultSchema = z.object({
  mergeId: z.number().int().nullable(),
  dryRun: z.boolean(),
  survivor: brief,
  removed: z.array(brief),
  fields: z
    .array(z.object({ field: z.string(), from: z.string().nullable() }))
    .describe('Survivor fields that changed, with the code of the customer whose value they took'),
  moved: counts.describe('Rows moved to the survivor, per table'),
  setAside: counts.describe('Rows kept in the merge record instead (the survivor had its own), per table'),
  customer: customerSchema,
});

const mergeIdParams = z.object({ id: z.coerce.number().int().positive() });

export const duplicateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/duplicates',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['duplicates'],
        summary: 'Groups of duplicate and possibly duplicate customers within your data scope',
        querystring: z.object({
          level: level.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({
            groups: z.array(groupSchema),
            total: z.number().int().describe('Groups of the requested level, before paging'),
            counts: z.object({ duplicate: z.number().int(), possible: z.number().int() }),
            keysComputed: z.number().int(),
          }),
        },
      },
    },
    (request) => findDuplicateCustomers(request.ctx, request.query),
  );

  app.post(
    '/merges',
    {
      config: { permission: 'customers.delete' },
      schema: {
        tags: ['duplicates'],
        summary: 'Merge customers into a survivor (removes the others; reversible)',
        body: mergeInputSchema,
        response: {
          201: mergeResultSchema,
          200: mergeResultSchema.describe('dryRun: what the merge would do; nothing was written'),
        },
      },
    },
    async (request, reply) => {
      const result = await mergeCustomers(request.ctx, request.body);
      return reply.status(result.dryRun ? 200 : 201).send(result);
    },
  );

  app.get(
    '/merges',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['duplicates'],
        summary: 'Merges, newest first',
        querystring: z.object({
          customerId: z.coerce.number().int().positive().optional(),
          beforeId: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
        response: {
          200: z.object({ items: z.array(mergeSummarySchema), nextBeforeId: z.number().int().nullable() }),
        },
      },
    },
    (request) => listMerges(request.ctx, request.query),
  );

  app.get(
    '/merges/:id',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['duplicates'],
        summary: 'One merge',
        params: mergeIdParams,
        response: { 200: mergeSummarySchema },
      },
    },
    (request) => getMerge(request.ctx, request.params.id),
  );

  app.post(
    '/merges/:id/undo',
    {
      config: { permission: 'customers.delete' },
      schema: {
        tags: ['duplicates'],
        summary: 'Undo a merge: the removed customers and their rows come back',
        params: mergeIdParams,
        response: {
          200: z.object({
            mergeId: z.number().int(),
            survivor: brief,
            restoredCustomers: z.array(brief),
            restoredFields: z.array(z.string()),
            changedSince: z
              .array(z.string())
              .describe('Survivor fields changed since the merge: kept as they are'),
            movedBack: counts,
            missing: counts.describe('Moved rows deleted since the merge'),
            restored: counts.describe('Rows kept in the merge record, put back'),
            notRestored: counts,
          }),
        },
      },
    },
    (request) => unmergeCustomers(request.ctx, request.params.id),
  );
};
