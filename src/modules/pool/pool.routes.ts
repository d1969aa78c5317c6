import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assignPoolCustomer, claimCustomer } from './claim-customer.js';
import { listPool } from './list-pool.js';
import { getPoolSettings, poolSettingsSchema, updatePoolSettings } from './pool-settings.js';
import { recycleCustomers } from './recycle-customers.js';
import { releaseCustomer, setPoolLock } from './release-customer.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const poolMove = z.object({
  customerId: z.number().int(),
  customer: z.string(),
  name: z.string(),
  owner: z.string(),
  at: z.string(),
});
const lockResult = z.object({ customerId: z.number().int(), customer: z.string(), locked: z.boolean() });

export const poolRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/pool',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['pool'],
        summary: 'The customer pool (公海): customers without an owner, without personal fields',
        querystring: z.strictObject({
          search: z.string().max(200).optional(),
          type: z.string().optional(),
          industry: z.string().optional(),
          province: z.string().optional(),
          city: z.string().optional(),
          source: z.string().optional(),
          stage: z.string().optional(),
          status: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          cursor: z.string().optional(),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                code: z.string(),
                name: z.string(),
                type: z.string(),
                company: z.string().nullable(),
                industry: z.string().nullable(),
                province: z.string().nullable(),
                city: z.string().nullable(),
                source: z.string().nullable(),
                companySize: z.string().nullable(),
                stage: z.string(),
                status: z.string(),
                tags: z.array(z.string()),
                createdAt: z.string(),
                lastContactedAt: z.string().nullable(),
                inPoolSince: z.string().nullable(),
                poolReason: z.string().nullable(),
                previousOwner: z.string().nullable(),
                reclaimBlockedUntil: z.string().nullable(),
              }),
            ),
            total: z.number().int(),
            totalIsExact: z.boolean(),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    (request) => listPool(request.ctx, request.query),
  );

  app.get(
    '/pool/settings',
    {
      config: { permission: 'customers.read' },
      schema: { tags: ['pool'], summary: 'Pool rules', response: { 200: poolSettingsSchema } },
    },
    (request) => getPoolSettings(request.ctx.db),
  );

  app.put(
    '/pool/settings',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags: ['pool'],
        summary: 'Change pool rules (keys not sent are kept)',
        body: poolSettingsSchema.partial().strict(),
        response: { 200: poolSettingsSchema },
      },
    },
    (request) => updatePoolSettings(request.ctx, request.body),
  );

  app.post(
    '/pool/:id/claim',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['pool'],
        summary: 'Claim (领取) a pool customer: daily claim limit, holding limit, no-reclaim period',
        params: idParams,
        response: { 200: poolMove },
      },
    },
    (request) => claimCustomer(request.ctx, request.params.id),
  );

  app.post(
    '/pool/:id/assign',
    {
      config: { permission: 'customers.transfer' },
      schema: {
        tags: ['pool'],
        summary: 'Assign (分配) a pool customer to a user of your scope',
        params: idParams,
        body: z.strictObject({ userId: z.number().int().positive() }),
        response: { 200: poolMove },
      },
    },
    (request) => assignPoolCustomer(request.ctx, request.params.id, request.body.userId),
  );

  app.post(
    '/pool/recycle',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags: ['pool'],
        summary: 'Recycle now (the server does it daily when autoRecycle is on); dryRun reports only',
        body: z.strictObject({ dryRun: z.boolean().default(true) }),
        response: {
          200: z.object({
            dryRun: z.boolean(),
            date: z.string(),
            recycled: z.array(
              z.object({
                customerId: z.number().int(),
                customer: z.string(),
                name: z.string(),
                owner: z.string().nullable(),
                since: z.string(),
                days: z.number().int(),
                reason: z.string(),
              }),
            ),
            warnings: z.array(
              z.object({
                customerId: z.number().int(),
                customer: z.string(),
                name: z.string(),
                owner: z.string().nullable(),
                recycleOn: z.string(),
              }),
            ),
          }),
        },
      },
    },
    (request) => recycleCustomers(request.ctx, { dryRun: request.body.dryRun }),
  );

  app.post(
    '/customers/:id/release',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['pool'],
        summary: 'Release (释放) a customer back to the pool, with a reason',
        params: idParams,
        body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
        response: {
          200: z.object({
            customerId: z.number().int(),
            customer: z.string(),
            previousOwner: z.string().nullable(),
            reason: z.string(),
            at: z.string(),
          }),
        },
      },
    },
    (request) => releaseCustomer(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/customers/:id/lock',
    {
      config: { permission: 'customers.transfer' },
      schema: {
        tags: ['pool'],
        summary: 'Lock (锁定): never recycled to the pool',
        params: idParams,
        body: z.strictObject({ reason: z.string().trim().max(500).optional() }).optional(),
        response: { 200: lockResult },
      },
    },
    (request) => setPoolLock(request.ctx, request.params.id, true, request.body?.reason ?? null),
  );

  app.post(
    '/customers/:id/unlock',
    {
      config: { permission: 'customers.transfer' },
      schema: {
        tags: ['pool'],
        summary: 'Unlock: recycled again by the rules',
        params: idParams,
        response: { 200: lockResult },
      },
    },
    (request) => setPoolLock(request.ctx, request.params.id, false),
  );
};
