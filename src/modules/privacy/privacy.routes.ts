import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  consentInputSchema,
  consentPurposes,
  listConsents,
  recordConsent,
  withdrawConsent,
} from './consents.js';
import { eraseSubject, exportSubjectData, subjectDataWorkbook } from './subject-requests.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const consentSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  purpose: z.enum(consentPurposes),
  scope: z.string().nullable(),
  channel: z.string().nullable(),
  grantedAt: z.string(),
  withdrawnAt: z.string().nullable(),
  recordedBy: z.string(),
});

export const privacyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/consents',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['privacy'],
        summary: 'Consent records (PIPL)',
        params: idParams,
        response: { 200: z.object({ items: z.array(consentSchema) }) },
      },
    },
    async (request) => ({ items: await listConsents(request.ctx, request.params.id) }),
  );
  app.post(
    '/customers/:id/consents',
    {
      config: { permission: 'consent.manage' },
      schema: {
        tags: ['privacy'],
        summary: 'Record a consent',
        params: idParams,
        body: consentInputSchema,
        response: { 201: consentSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordConsent(request.ctx, request.params.id, request.body)),
  );
  app.post(
    '/customers/:id/consents/:consentId/withdraw',
    {
      config: { permission: 'consent.manage' },
      schema: {
        tags: ['privacy'],
        summary: 'Record that a consent was withdrawn',
        params: idParams.extend({ consentId: z.coerce.number().int().positive() }),
        response: { 200: consentSchema },
      },
    },
    (request) => withdrawConsent(request.ctx, request.params.id, request.params.consentId),
  );
  app.get(
    '/customers/:id/data-export',
    {
      config: { permission: 'subject-requests.run' },
      schema: {
        tags: ['privacy'],
        summary: 'Everything about one customer (data-subject request), as JSON or xlsx; audited',
        params: idParams,
        querystring: z.object({ format: z.enum(['json', 'xlsx']).default('json') }),
      },
    },
    async (request, reply) => {
      const data = await exportSubjectData(request.ctx, request.params.id);
      const name = `customer-${request.params.id}`;
      if (request.query.format === 'xlsx') {
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${name}.xlsx"`)
          .send(await subjectDataWorkbook(data));
      }
      return reply.header('content-disposition', `attachment; filename="${name}.json"`).send(data);
    },
  );
  app.post(
    '/customers/:id/erase',
    {
      config: { permission: 'subject-requests.run' },
      schema: {
        tags: ['privacy'],
        summary: 'Erase personal data (anonymise), keeping transactions; audited',
        params: idParams,
      },
    },
    async (request, reply) => {
      await eraseSubject(request.ctx, request.params.id);
      return reply.status(204).send();
    },
  );
};
