import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { refreshOverdueCredit } from './overdue-credit.js';
import {
  createProjectSchema,
  instalmentInputSchema,
  paymentInputSchema,
  projectDetailSchema,
  projectSchema,
  updateInstalmentSchema,
  updatePaymentSchema,
  updateProjectSchema,
} from './project.schemas.js';
import {
  addInstalment,
  createProject,
  deleteInstalment,
  deletePayment,
  deleteProject,
  getProject,
  listProjects,
  recordPayment,
  updateInstalment,
  updatePayment,
  updateProject,
} from './projects.js';

const customerParams = z.object({ id: z.coerce.number().int().positive() });
const projectParams = customerParams.extend({ projectId: z.coerce.number().int().positive() });
const instalmentParams = projectParams.extend({ instalmentId: z.coerce.number().int().positive() });
const paymentParams = projectParams.extend({ paymentId: z.coerce.number().int().positive() });
const tags = ['projects'];

export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/projects',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: "A customer's projects and contracts with their payment progress, newest first",
        params: customerParams,
        response: { 200: z.object({ items: z.array(projectSchema) }) },
      },
    },
    (request) => listProjects(request.ctx, request.params.id),
  );
  app.post(
    '/customers/:id/projects',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Create a project or contract, optionally with its instalments',
        params: customerParams,
        body: createProjectSchema,
        response: { 201: projectDetailSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createProject(request.ctx, request.params.id, request.body)),
  );
  app.get(
    '/customers/:id/projects/:projectId',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'One project with its instalments, payments and progress',
        params: projectParams,
        response: { 200: projectDetailSchema },
      },
    },
    (request) => getProject(request.ctx, request.params.id, request.params.projectId),
  );
  app.patch(
    '/customers/:id/projects/:projectId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Change a project (status, outcome, customer feedback, contract amount, …)',
        params: projectParams,
        body: updateProjectSchema,
        response: { 200: projectDetailSchema },
      },
    },
    (request) => updateProject(request.ctx, request.params.id, request.params.projectId, request.body),
  );
  app.delete(
    '/customers/:id/projects/:projectId',
    {
      config: { permission: 'customers.write' },
      schema: { tags, summary: 'Delete a project with its instalments and payments', params: projectParams },
    },
    async (request, reply) => {
      await deleteProject(request.ctx, request.params.id, request.params.projectId);
      return reply.status(204).send();
    },
  );
  app.post(
    '/customers/:id/projects/:projectId/instalments',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Add an instalment to the payment schedule; answers the project',
        params: projectParams,
        body: instalmentInputSchema,
        response: { 201: projectDetailSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addInstalment(request.ctx, request.params.id, request.params.projectId, request.body)),
  );
  app.patch(
    '/customers/:id/projects/:projectId/instalments/:instalmentId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Change an instalment; answers the project',
        params: instalmentParams,
        body: updateInstalmentSchema,
        response: { 200: projectDetailSchema },
      },
    },
    (request) =>
      updateInstalment(
        request.ctx,
        request.params.id,
        request.params.projectId,
        request.params.instalmentId,
        request.body,
      ),
  );
  app.delete(
    '/customers/:id/projects/:projectId/instalments/:instalmentId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Remove an instalment; answers the project',
        params: instalmentParams,
        response: { 200: projectDetailSchema },
      },
    },
    (request) =>
      deleteInstalment(request.ctx, request.params.id, request.params.projectId, request.params.instalmentId),
  );
  app.post(
    '/customers/:id/projects/:projectId/payments',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Record a payment received; refused when more than what is still due. Answers the project',
        params: projectParams,
        body: paymentInputSchema,
        response: { 201: projectDetailSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await recordPayment(request.ctx, request.params.id, request.params.projectId, request.body)),
  );
  app.patch(
    '/customers/:id/projects/:projectId/payments/:paymentId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Correct a payment; answers the project',
        params: paymentParams,
        body: updatePaymentSchema,
        response: { 200: projectDetailSchema },
      },
    },
    (request) =>
      updatePayment(
        request.ctx,
        request.params.id,
        request.params.projectId,
        request.params.paymentId,
        request.body,
      ),
  );
  app.delete(
    '/customers/:id/projects/:projectId/payments/:paymentId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Remove a payment; answers the project',
        params: paymentParams,
        response: { 200: projectDetailSchema },
      },
    },
    (request) =>
      deletePayment(request.ctx, request.params.id, request.params.projectId, request.params.paymentId),
  );
  // Every customer, whatever the caller's data scope: an administrator's task.
  app.post(
    '/projects/refresh-credit',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags,
        summary: 'Recompute every customer’s overdue credit status (what the daily job does)',
        body: z.strictObject({ date: z.string().optional() }).optional(),
        response: {
          200: z.object({ date: z.string(), overdue: z.array(z.string()), restored: z.array(z.string()) }),
        },
      },
    },
    (request) => refreshOverdueCredit(request.ctx, request.body?.date),
  );
};
