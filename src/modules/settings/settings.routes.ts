import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customerEnums, suggestedIndustries, suggestedSources } from '../../domain/customers/enums.js';
import type { AppContext } from '../../shared/context.js';
import { customFieldSchema } from '../custom-fields/custom-field.schemas.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';
import {
  customerNumberSettingSchema,
  getCustomerNumberPattern,
  setCustomerNumberPattern,
} from './customer-number.js';

const enumOption = z.object({ value: z.string(), zh: z.string(), en: z.string() });

export const settingsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/meta',
    {
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
    async () => ({
      enums: customerEnums,
      suggestions: { industry: suggestedIndustries, source: suggestedSources },
      customFields: await listCustomFields(ctx.db),
    }),
  );
  app.get(
    '/settings/customer-number',
    {
      schema: {
        tags: ['settings'],
        summary: 'The customer numbering rule',
        response: { 200: customerNumberSettingSchema },
      },
    },
    async () => ({ pattern: await getCustomerNumberPattern(ctx.db) }),
  );
  app.put(
    '/settings/customer-number',
    {
      schema: {
        tags: ['settings'],
        summary: 'Set the numbering rule, e.g. KH{YYYY}{SEQ:5}',
        body: customerNumberSettingSchema,
        response: { 200: customerNumberSettingSchema },
      },
    },
    (request) => setCustomerNumberPattern(ctx, request.body),
  );
  app.get(
    '/health',
    {
      schema: {
        tags: ['meta'],
        response: {
          200: z.object({ ok: z.boolean(), database: z.string(), schemaVersion: z.number().int() }),
        },
      },
    },
    async () => {
      const { rows } = await ctx.db.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
      return { ok: true, database: ctx.db.kind, schemaVersion: rows[0]?.v ?? 0 };
    },
  );
};
