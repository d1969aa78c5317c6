import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  complaintDueHours,
  createFeedback,
  deleteFeedback,
  listComplaints,
  listFeedback,
  setComplaintDueHours,
  updateFeedback,
} from './feedback.js';
import {
  complaintSchema,
  complaintSettingsSchema,
  createFeedbackSchema,
  feedbackSchema,
  updateFeedbackSchema,
} from './feedback.schemas.js';

const customerParams = z.object({ id: z.coerce.number().int().positive() });
const itemParams = customerParams.extend({ feedbackId: z.coerce.number().int().positive() });
const oneOrMany = z.union([z.string(), z.array(z.string())]).optional();
const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1'));

export const feedbackRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/feedback',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['records'],
        summary: "A customer's feedback (reviews, suggestions, complaints), newest first",
        params: customerParams,
        querystring: z.strictObject({
          kind: oneOrMany,
          status: oneOrMany,
          limit: z.coerce.number().int().optional(),
          cursor: z.string().optional(),
        }),
        response: { 200: z.object({ items: z.array(feedbackSchema), nextCursor: z.string().nullable() }) },
      },
    },
    (request) => listFeedback(request.ctx, request.params.id, request.query),
  );
  app.post(
    '/customers/:id/feedback',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['records'],
        summary: 'Record feedback; a complaint is due after complaints.due_hours (48 by default)',
        params: customerParams,
        body: createFeedbackSchema,
        response: { 201: feedbackSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createFeedback(request.ctx, request.params.id, request.body)),
  );
  app.patch(
    '/customers/:id/feedback/:feedbackId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['records'],
        summary: 'Change feedback (status, resolution, …); resolvedAt follows the status',
        params: itemParams,
        body: updateFeedbackSchema,
        response: { 200: feedbackSchema },
      },
    },
    (request) => updateFeedback(request.ctx, request.params.id, request.params.feedbackId, request.body),
  );
  app.delete(
    '/customers/:id/feedback/:feedbackId',
    {
      config: { permission: 'customers.write' },
      schema: { tags: ['records'], summary: 'Delete feedback', params: itemParams },
    },
    async (request, reply) => {
      await deleteFeedback(request.ctx, request.params.id, request.params.feedbackId);
      return reply.status(204).send();
    },
  );
  app.get(
    '/complaints',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['records'],
        summary: 'Complaints of the customers you may see, overdue first, then by due time',
        querystring: z.strictObject({
          status: oneOrMany,
          overdue: booleanQuery,
          customerId: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().optional(),
          cursor: z.string().optional(),
        }),
        response: { 200: z.object({ items: z.array(complaintSchema), nextCursor: z.string().nullable() }) },
      },
    },
    (request) => listComplaints(request.ctx, request.query),
  );
  app.get(
    '/settings/complaints',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['settings'],
        summary: 'How many hours a complaint may stay open (settings key complaints.due_hours)',
        response: { 200: complaintSettingsSchema },
      },
    },
    async (request) => ({ dueHours: await complaintDueHours(request.ctx.db) }),
  );
  app.put(
    '/settings/complaints',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary: 'Set how many hours a new complaint may stay open, e.g. {"dueHours": 24}',
        body: complaintSettingsSchema,
        response: { 200: complaintSettingsSchema },
      },
    },
    (request) => setComplaintDueHours(request.ctx, request.body),
  );
};
