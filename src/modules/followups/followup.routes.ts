import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { followupMethods } from '../../domain/followups/methods.js';
import { calendarFeed, createCalendarToken, revokeCalendarToken } from './calendar-feed.js';
import { deleteFollowup, updateFollowup } from './change-followup.js';
import { completeFollowup, skipFollowup } from './complete-followup.js';
import { createFollowup } from './create-followup.js';
import { dueFollowups } from './due-followups.js';
import {
  completeFollowupSchema,
  createFollowupSchema,
  followupSchema,
  followupStatuses,
  skipFollowupSchema,
  updateFollowupSchema,
} from './followup.schemas.js';
import { listCustomerFollowups } from './followups.js';
import { neglectedCustomers } from './neglected-customers.js';
import { planFollowups } from './plan-followups.js';

const customerParams = z.object({ id: z.coerce.number().int().positive() });
const followupParams = customerParams.extend({ fid: z.coerce.number().int().positive() });
const dueItem = followupSchema.extend({
  lastContactedAt: z.string().nullable(),
  daysSinceContact: z.number().int().nullable(),
});

export const followupRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/followups',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['followups'],
        summary: "A customer's follow-up plans (open first) and last contact",
        params: customerParams,
        querystring: z.object({ status: z.enum(followupStatuses).optional() }),
        response: {
          200: z.object({
            items: z.array(followupSchema),
            lastContactedAt: z.string().nullable(),
            daysSinceContact: z.number().int().nullable(),
          }),
        },
      },
    },
    (request) => listCustomerFollowups(request.ctx, request.params.id, request.query.status),
  );

  app.post(
    '/customers/:id/followups',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['followups'],
        summary: 'Plan a follow-up (跟进计划)',
        params: customerParams,
        body: createFollowupSchema,
        response: { 201: followupSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createFollowup(request.ctx, request.params.id, request.body)),
  );

  app.patch(
    '/customers/:id/followups/:fid',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['followups'],
        summary: 'Change an open follow-up plan',
        params: followupParams,
        body: updateFollowupSchema,
        response: { 200: followupSchema },
      },
    },
    (request) => updateFollowup(request.ctx, request.params.id, request.params.fid, request.body),
  );

  app.delete(
    '/customers/:id/followups/:fid',
    {
      config: { permission: 'customers.write' },
      schema: { tags: ['followups'], summary: 'Delete an open follow-up plan', params: followupParams },
    },
    async (request, reply) => {
      await deleteFollowup(request.ctx, request.params.id, request.params.fid);
      return reply.status(204).send();
    },
  );

  app.post(
    '/customers/:id/followups/:fid/complete',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['followups'],
        summary: 'Complete a plan: the outcome becomes a communication; optionally plan the next one',
        params: followupParams,
        body: completeFollowupSchema,
        response: {
          200: z.object({
            followup: followupSchema,
            communicationId: z.number().int(),
            next: followupSchema.nullable(),
          }),
        },
      },
    },
    (request) => completeFollowup(request.ctx, request.params.id, request.params.fid, request.body),
  );

  app.post(
    '/customers/:id/followups/:fid/skip',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['followups'],
        summary: 'Skip a plan with a reason',
        params: followupParams,
        body: skipFollowupSchema,
        response: { 200: z.object({ followup: followupSchema, next: followupSchema.nullable() }) },
      },
    },
    (request) => skipFollowup(request.ctx, request.params.id, request.params.fid, request.body),
  );

  app.get(
    '/followups/due',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['followups'],
        summary: 'Reminders: overdue, due today, next 7 days, and customers about to be recycled',
        querystring: z.object({
          owner: z.string().min(1).max(64).optional().describe('username; default: you'),
          limit: z.coerce.number().int().min(1).max(1000).optional().describe('per group, default 100'),
        }),
        response: {
          200: z.object({
            owner: z.string(),
            date: z.string(),
            counts: z.object({
              overdue: z.number().int(),
              today: z.number().int(),
              upcoming: z.number().int(),
            }),
            overdue: z.array(dueItem),
            today: z.array(dueItem),
            upcoming: z.array(dueItem),
            recycleWarnings: z.array(
              z.object({
                customerId: z.number().int(),
                customer: z.string(),
                name: z.string(),
                warnedAt: z.string(),
                recycleOn: z.string(),
                reason: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    (request) => dueFollowups(request.ctx, request.query),
  );

  app.get(
    '/followups/neglected',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['followups'],
        summary: "Customers not contacted within their tier's cadence",
        querystring: z.object({
          scheme: z.string().min(1).max(63),
          owner: z.string().min(1).max(64).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        response: {
          200: z.object({
            scheme: z.string(),
            date: z.string(),
            total: z.number().int(),
            items: z.array(
              z.object({
                customerId: z.number().int(),
                customer: z.string(),
                name: z.string(),
                owner: z.string().nullable(),
                tier: z.string(),
                method: z.enum(followupMethods),
                lastContactedAt: z.string().nullable(),
                daysSinceContact: z.number().int().nullable(),
                contactDueOn: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    (request) => neglectedCustomers(request.ctx, request.query.scheme, request.query),
  );

  app.post(
    '/followups/plan',
    {
      config: { permission: 'tiers.manage' },
      schema: {
        tags: ['followups'],
        summary: "Plan the follow-ups a scheme's cadences ask for (the server also does this daily)",
        body: z.strictObject({ scheme: z.string().min(1).max(63) }),
        response: {
          200: z.object({
            scheme: z.string(),
            created: z.number().int(),
            redated: z.number().int(),
            closed: z.number().int(),
          }),
        },
      },
    },
    async (request) => {
      const result = await planFollowups(request.ctx, request.body.scheme, { report: false });
      return {
        scheme: result.scheme,
        created: result.createdCount,
        redated: result.redated,
        closed: result.closed,
      };
    },
  );

  app.post(
    '/followups/calendar-token',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['followups'],
        summary: 'Make (or replace) your calendar feed token; shown only in this answer',
        response: { 201: z.object({ token: z.string(), path: z.string(), createdAt: z.string() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await createCalendarToken(request.ctx)),
  );

  app.delete(
    '/followups/calendar-token',
    {
      config: { permission: 'customers.read' },
      schema: { tags: ['followups'], summary: 'Turn your calendar feed off' },
    },
    async (request, reply) => {
      await revokeCalendarToken(request.ctx);
      return reply.status(204).send();
    },
  );

  app.get(
    '/calendar/:token.ics',
    {
      // The token in the URL is the credential (calendar apps cannot log in).
      config: { permission: 'public' },
      schema: {
        tags: ['followups'],
        summary: 'iCalendar feed of your open follow-up plans',
        params: z.object({ token: z.string().max(200) }),
      },
    },
    async (request, reply) => {
      const body = await calendarFeed(request.ctx, request.params.token);
      return reply
        .header('cache-control', 'private, max-age=300')
        .type('text/calendar; charset=utf-8')
        .send(body);
    },
  );
};
