import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAudit, verifyAuditLog } from './audit-log.js';

const entrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorType: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  customerId: z.number().int().nullable(),
  details: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Browse the audit trail, newest first',
        querystring: z.object({
          action: z.string().optional().describe('Prefix, e.g. customer. or auth.login'),
          actor: z.string().optional(),
          customerId: z.coerce.number().int().positive().optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
          beforeId: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
        response: {
          200: z.object({ items: z.array(entrySchema), nextBeforeId: z.number().int().nullable() }),
        },
      },
    },
    (request) => listAudit(request.ctx.db, request.query),
  );
  app.get(
    '/audit/verify',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Re-compute the hash chain',
        response: {
          200: z.object({
            ok: z.boolean(),
            entries: z.number().int(),
            firstBadId: z.number().int().nullable(),
            problem: z.string().nullable(),
          }),
        },
      },
    },
    (request) => verifyAuditLog(request.ctx.db),
  );
};
