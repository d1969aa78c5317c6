import fs from 'node:fs';
import path from 'node:path';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { accessRoutes } from '../modules/access/access.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { contactRoutes } from '../modules/contacts/contact.routes.js';
import { customFieldRoutes } from '../modules/custom-fields/custom-field.routes.js';
import { customerRoutes } from '../modules/customers/customer.routes.js';
import { demoRoutes } from '../modules/demo/demo.routes.js';
import { duplicateRoutes } from '../modules/duplicates/duplicate.routes.js';
import { followupRoutes } from '../modules/followups/followup.routes.js';
import { exportRoutes } from '../modules/imports/export.routes.js';
import { importRoutes } from '../modules/imports/import.routes.js';
import { poolRoutes } from '../modules/pool/pool.routes.js';
import { privacyRoutes } from '../modules/privacy/privacy.routes.js';
import { qualityRoutes } from '../modules/quality/quality.routes.js';
import { recordRoutes } from '../modules/records/records.routes.js';
import { settingsRoutes } from '../modules/settings/settings.routes.js';
import { tierRoutes } from '../modules/tiers/tier.routes.js';
import { timelineRoutes } from '../modules/timeline/timeline.routes.js';
import { transactionRoutes } from '../modules/transactions/transaction.routes.js';
import type { AppContext } from '../shared/context.js';
import { webDistDir } from '../shared/paths.js';
import '../shared/validation.js';
import { type RouteRecord, registerAuth } from './auth.js';
import { registerErrorHandler } from './error-handler.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared permission (checked by a test). */
    routeTable: RouteRecord[];
  }
}

export interface AppOptions {
  bodyLimit?: number;
  logLevel?: string;
  /** Lets the local CLI send commands as the operator (see cli/serve.ts). */
  operatorSecret?: string;
  /** Folder of the built web app; defaults to dist/web. */
  webDir?: string;
}

/** Assembles the HTTP application: API under /api, OpenAPI at /api/docs, the web app everywhere else. */
/**
 * `base` supplies the database and clock; each request gets its own context with the
 * authenticated actor (see http/auth.ts).
 */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 1_048_576,
    logger: options.logLevel && options.logLevel !== 'silent' ? { level: options.logLevel } : false,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  const routes: RouteRecord[] = [];
  app.decorate('routeTable', routes);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design writes its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    // Served over plain HTTP on a LAN as often as over HTTPS: no forced upgrade.
    hsts: false,
  });
  await registerAuth(app, ctx, routes, options.operatorSecret);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Clientele API',
        description:
          'Customer records, contacts, transactions and custom fields. Errors: { error: { code, message, details } }.',
        version: '1',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  await app.register(
    async (api) => {
      await api.register(accessRoutes);
      await api.register(customerRoutes);
      await api.register(contactRoutes);
      await api.register(transactionRoutes);
      await api.register(customFieldRoutes);
      await api.register(settingsRoutes);
      await api.register(demoRoutes);
      await api.register(auditRoutes);
      await api.register(privacyRoutes);
      await api.register(tierRoutes);
      await api.register(duplicateRoutes);
      await api.register(qualityRoutes);
      await api.register(exportRoutes);
      await api.register(importRoutes);
      await api.register(recordRoutes);
      await api.register(timelineRoutes);
      await api.register(followupRoutes);
      await api.register(poolRoutes);
    },
    { prefix: '/api' },
  );

  const webDir = options.webDir ?? webDistDir();
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api') || request.method !== 'GET') {
      return reply.status(404).send({
        error: {
          code: 'NOT_FOUND',
          message: `没有这个接口 / No such endpoint: ${request.method} ${request.url}`,
        },
      });
    }
    // Client-side routes (/customers/42) are answered by the single-page app.
    if (hasWeb) return reply.type('text/html').sendFile('index.html');
    return reply
      .type('text/plain; charset=utf-8')
      .send('网页尚未构建，请运行 npm run build / The web app is not built yet: run npm run build');
  });
  return app;
}
