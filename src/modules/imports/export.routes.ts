import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDate } from '../../shared/context.js';
import type { ListParams } from '../customers/list-customers.js';
import {
  type ExportEncoding,
  type ExportFormat,
  type ExportHeaders,
  exportEncodings,
  exportFormats,
  exportHeaders,
  prepareCustomerExport,
} from './export-customers.js';

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/export',
    {
      config: { permission: 'customers.export' },
      schema: {
        tags: ['customers'],
        summary: 'Download the customers matching the list parameters as xlsx or CSV (audited)',
        description:
          'Takes every filter and search parameter of GET /api/customers (and sort); limit, cursor and exactTotal are ignored: the file holds every match.',
        querystring: z.looseObject({
          format: z.string().optional().describe(exportFormats.join(' | ')),
          encoding: z
            .string()
            .optional()
            .describe(`${exportEncodings.join(' | ')} (CSV only; UTF-8 has a BOM)`),
          headers: z
            .string()
            .optional()
            .describe(`${exportHeaders.join(' | ')}: API names or Chinese / English labels (all importable)`),
        }),
      },
    },
    async (request, reply) => {
      const { format, encoding, headers, ...filter } = request.query as ListParams;
      const job = await prepareCustomerExport(request.ctx, {
        format: (first(format) ?? 'xlsx') as ExportFormat,
        encoding: first(encoding) as ExportEncoding | undefined,
        headers: first(headers) as ExportHeaders | undefined,
        filter,
      });
      const body = new PassThrough();
      job.write(body).then(
        () => {
          if (!body.writableEnded) body.end();
        },
        (error: Error) => {
          request.log.error(error);
          body.destroy(error);
        },
      );
      const name = `customers-${localDate(request.ctx.now())}.${job.format}`;
      return reply
        .header('content-disposition', `attachment; filename="${name}"`)
        .type(job.contentType)
        .send(body);
    },
  );
};
