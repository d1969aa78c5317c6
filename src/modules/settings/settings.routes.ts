import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customerEnums, suggestedIndustries, suggestedSources } from '../../domain/customers/enums.js';
import { customFieldSchema } from '../custom-fields/custom-field.schemas.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';
import {
  customerNumberSettingSchema,
  getCustomerNumberPattern,
  setCustomerNumberPattern,
} from './customer-number.js';

const enumOption = z.object({ value: z.string(), zh: z.string(), en: z.string() });

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/meta',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['meta'],
        summary: 'Enumerations with zh/en labels, suggestions and custom field definitions',
        response: {
          200: z.object({
            enums: z.record(z.string(), z.array(enumOption)),
            suggestions: z.object({ industry: z.array(z.string()), source: z.array(z.string()) }),
            customFields: z.array(customFieldSchema),
          }),
        },
      },
    },
    async (request) => ({
      enums: customerEnums,
      suggestions: { industry: suggestedIndustries, source: suggestedSources },
      customFields: await listCustomFields(request.ctx.db),
    }),
  );
  app.get(
    '/settings/customer-number',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['settings'],
        summary: 'The customer numbering rule',
        response: { 200: customerNumberSettingSchema },
      },
    },
    async (request) => ({ pattern: await getCustomerNumberPattern(request.ctx.db) }),
  );
  app.put(
    '/settings/customer-number',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary: 'Set the numbering rule, e.g. KH{YYYY}{SEQ:5}',
        body: customerNumberSettingSchema,
        response: { 200: customerNumberSettingSchema },
      },
    },
    (request) => setCustomerNumberPattern(request.ctx, request.body),
  );
  app.get(
    '/health',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['meta'],
        response: {
          200: z.object({ ok: z.boolean(), database: z.string(), schemaVersion: z.number().int() }),
        },
      },
    },
    async (request) => {
      const { rows } = await request.ctx.db.query<{ v: number }>(
        'SELECT max(version) AS v FROM schema_migrations',
      );
      return { ok: true, database: request.ctx.db.kind, schemaVersion: rows[0]?.v ?? 0 };
    },
  );
};
