import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SavedMapping } from '../../domain/imports/column-mapping.js';
import { AppError, notFound, validationError } from '../../shared/app-error.js';
import { importCommunications } from '../records/import-communications.js';
import { setUniqueCustomerFields, uniqueCustomerFields } from '../settings/unique-fields.js';
import { importCustomers } from './import-customers.js';
import { type ImportOutcome, onDuplicateChoices } from './import-run.js';
import { customerTemplate } from './import-template.js';
import { importTransactions } from './import-transactions.js';
import { listImports, undoImport } from './import-undo.js';
import { writeErrorReport } from './xlsx-writers.js';

/** Largest upload: a spreadsheet of a few hundred thousand rows. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const ERROR_REPORT_TTL_MS = 3_600_000;
const workDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'clientele-upload-'));
const errorReports = new Map<string, { file: string; expires: number }>();

function forgetExpiredReports(now: number) {
  for (const [token, report] of errorReports) {
    if (report.expires < now) {
      fs.rmSync(path.dirname(report.file), { recursive: true, force: true });
      errorReports.delete(token);
    }
  }
}

const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((value) => value === 'true' || value === '1');

const invalidCell = z.object({
  row: z.number().int(),
  column: z.string(),
  field: z.string(),
  value: z.string(),
  message: z.string(),
});
const reportSchema = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  duplicates: z.object({ inFile: z.number().int(), existing: z.number().int() }),
  possibleDuplicates: z.array(
    z.object({
      row: z.number().int(),
      name: z.string(),
      similarTo: z.array(
        z.union([
          z.object({ code: z.string(), name: z.string(), owner: z.string().nullable() }),
          z.object({ row: z.number().int(), name: z.string() }),
        ]),
      ),
    }),
  ),
  invalid: z.array(invalidCell),
});
const outcomeSchema = z.object({
  report: reportSchema,
  importId: z.number().int().nullable(),
  dryRun: z.boolean(),
  committed: z.boolean(),
  table: z.object({
    format: z.string(),
    encoding: z.string().nullable(),
    sheet: z.string().nullable(),
    headerRow: z.number().int(),
    header: z.array(z.string()),
  }),
  columns: z.array(z.object({ header: z.string(), field: z.string().nullable() })),
  unknownColumns: z.array(z.string()),
  errorReport: z
    .string()
    .nullable()
    .describe('URL of the error report (xlsx) for an hour, when rows were invalid'),
});

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  // Uploads arrive as the raw file body and are streamed to a temporary file, never held in memory.
  app.addContentTypeParser(
    [
      'application/octet-stream',
      'text/csv',
      'text/tab-separated-values',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-excel',
    ],
    (_request, payload, done) => {
      const dir = workDir();
      const file = path.join(dir, 'upload');
      const sink = fs.createWriteStream(file);
      let bytes = 0;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        sink.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
        done(error, undefined);
      };
      payload.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_UPLOAD_BYTES) {
          payload.destroy();
          fail(
            new AppError('PAYLOAD_TOO_LARGE', {
              zh: `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
              en: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
            }),
          );
        }
      });
      payload.on('error', fail);
      payload.pipe(sink);
      sink.on('error', fail);
      sink.on('finish', () => {
        if (!failed) done(null, { file, dir });
      });
    },
  );

  for (const kind of ['customers', 'transactions', 'communications'] as const) {
    app.post(
      `/imports/${kind}`,
      {
        config: { permission: 'customers.import' },
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          tags: ['imports'],
          summary: `Import ${kind} from an xlsx, CSV or tab-separated file (the request body; UTF-8 or GBK)`,
          querystring: z.object({
            dryRun: booleanQuery,
            skipInvalid: booleanQuery,
            onDuplicate: z.enum(onDuplicateChoices as ['skip', 'update']).optional(),
            sheet: z.string().optional(),
            fileName: z.string().max(255).optional(),
            mapping: z.string().max(20_000).optional().describe('JSON: {"header": "field" | null}'),
          }),
          response: { 200: outcomeSchema },
        },
      },
      async (request) => {
        const upload = request.body as { file: string; dir: string } | undefined;
        if (!upload?.file) {
          throw validationError([{ field: 'body', message: '请上传文件 / Upload a file' }]);
        }
        try {
          let mapping: SavedMapping | undefined;
          if (request.query.mapping) {
            try {
              mapping = JSON.parse(request.query.mapping) as SavedMapping;
            } catch {
              throw validationError([{ field: 'mapping', message: '须为 JSON / Must be JSON' }]);
            }
          }
          const run = {
            customers: importCustomers,
            transactions: importTransactions,
            communications: importCommunications,
          }[kind];
          const outcome: ImportOutcome = await run(request.ctx, upload.file, {
            dryRun: request.query.dryRun,
            skipInvalid: request.query.skipInvalid,
            onDuplicate: request.query.onDuplicate,
            sheet: request.query.sheet,
            fileName: request.query.fileName ?? 'upload',
            mapping,
          });
          let errorReport: string | null = null;
          if (outcome.errorRows.length > 0) {
            const now = Date.now();
            forgetExpiredReports(now);
            const token = randomBytes(16).toString('hex');
            const file = path.join(workDir(), 'errors.xlsx');
            await writeErrorReport(file, outcome.header, outcome.errorRows);
            errorReports.set(token, { file, expires: now + ERROR_REPORT_TTL_MS });
            errorReport = `/api/imports/error-reports/${token}`;
          }
          const { errorRows: _rows, header: _header, ...rest } = outcome;
          return { ...rest, errorReport };
        } finally {
          fs.rmSync(upload.dir, { recursive: true, force: true });
        }
      },
    );
  }
  app.get(
    '/imports/error-reports/:token',
    {
      config: { permission: 'customers.import' },
      schema: {
        tags: ['imports'],
        summary: 'The invalid rows of an import with an error column (xlsx), for an hour',
        params: z.object({ token: z.string().regex(/^[0-9a-f]{32}$/) }),
      },
    },
    async (request, reply) => {
      const report = errorReports.get(request.params.token);
      if (!report || report.expires < Date.now()) throw notFound({ zh: '错误报告', en: 'Error report' });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="import-errors.xlsx"')
        .send(fs.createReadStream(report.file));
    },
  );
  app.get(
    '/imports/template',
    {
      config: { permission: 'customers.import' },
      schema: {
        tags: ['imports'],
        summary: 'Customer import template (xlsx, Chinese headers, drop-down lists)',
      },
    },
    async (request, reply) =>
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="clientele-customers-template.xlsx"`)
        .send(await customerTemplate(request.ctx)),
  );
  app.get(
    '/imports',
    {
      config: { permission: 'customers.import' },
      schema: {
        tags: ['imports'],
        summary: 'Recent imports (yours, unless you see all customers)',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                kind: z.enum(['customers', 'transactions', 'communications']),
                fileName: z.string(),
                fileHash: z.string(),
                format: z.string(),
                encoding: z.string().nullable(),
                sheet: z.string().nullable(),
                rows: z.number().int(),
                created: z.number().int(),
                updated: z.number().int(),
                skipped: z.number().int(),
                invalid: z.number().int(),
                onDuplicate: z.string(),
                actor: z.string(),
                createdAt: z.string(),
                undoneAt: z.string().nullable(),
                undoneBy: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await listImports(request.ctx) }),
  );
  app.post(
    '/imports/:id/undo',
    {
      config: { permission: 'customers.import' },
      schema: {
        tags: ['imports'],
        summary: 'Undo an import while its records are untouched',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: {
          200: z.object({ id: z.number().int(), deleted: z.number().int(), restored: z.number().int() }),
        },
      },
    },
    (request) => undoImport(request.ctx, request.params.id),
  );
  app.get(
    '/settings/unique-fields',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['settings'],
        summary: 'Fields the company treats as unique (duplicate check on import)',
        response: { 200: z.object({ fields: z.array(z.string()) }) },
      },
    },
    async (request) => ({ fields: await uniqueCustomerFields(request.ctx.db) }),
  );
  app.put(
    '/settings/unique-fields',
    {
      config: { permission: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary: 'Set the unique fields, e.g. {"fields": ["name"]}',
        body: z.object({ fields: z.array(z.string()).max(10) }),
        response: { 200: z.object({ fields: z.array(z.string()) }) },
      },
    },
    async (request) => ({ fields: await setUniqueCustomerFields(request.ctx, request.body.fields) }),
  );
};
