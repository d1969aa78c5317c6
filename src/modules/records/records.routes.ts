import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { communicationRoutes } from './communication.routes.js';
import { feedbackRoutes } from './feedback.routes.js';
import { projectRoutes } from './project.routes.js';
import { serviceRecordRoutes } from './service-record.routes.js';

/** What happened with a customer: communications, feedback and complaints, service records, projects. */
export const recordRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(communicationRoutes);
  await app.register(feedbackRoutes);
  await app.register(serviceRecordRoutes);
  await app.register(projectRoutes);
};
