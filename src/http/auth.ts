import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePermission } from '../domain/security/roles.js';
import { type Actor, actorCan, anonymousActor, cliActor } from '../modules/access/actor.js';
import { visibilityOf } from '../modules/access/scope.js';
import { authenticateApiToken, authenticateSession } from '../modules/access/sessions.js';
import { AppError } from '../shared/app-error.js';
import type { AppContext } from '../shared/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The use-case context of this request: database, clock and the authenticated actor. */
    ctx: AppContext;
    /** Set for cookie sessions: the token the web app must echo in `x-csrf-token` on writes. */
    csrfToken: string | undefined;
  }
  interface FastifyContextConfig {
    /** What a caller needs to reach the route; every /api route declares one. */
    permission?: RoutePermission;
  }
}

export const SESSION_COOKIE = 'clientele_session';
export const CSRF_COOKIE = 'clientele_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RouteRecord {
  method: string | string[];
  url: string;
  permission: RoutePermission | undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The local CLI (operator secret), an API token, or a session cookie — in that order. */
async function identify(
  request: FastifyRequest,
  base: AppContext,
  operatorSecret: string | undefined,
): Promise<{ actor: Actor; csrf?: string } | undefined> {
  const operator = request.headers['x-clientele-operator'];
  if (operatorSecret && typeof operator === 'string' && sameSecret(operator, operatorSecret)) {
    return { actor: cliActor() };
  }
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const actor = await authenticateApiToken(base, header.slice(7).trim());
    if (!actor)
      throw new AppError('UNAUTHENTICATED', {
        zh: 'API 令牌无效或已吊销',
        en: 'Invalid or revoked API token',
      });
    return { actor };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return undefined;
  const session = await authenticateSession(base, cookie);
  return session ? { actor: session.actor, csrf: session.csrfToken } : undefined;
}

/**
 * Authentication and authorisation for every route, in one place: identifies the caller (API token
 * or session cookie), checks CSRF for cookie writes, and checks the route's declared permission.
 * A route under /api without a declared permission is refused, never let through.
 */
export async function registerAuth(
  app: FastifyInstance,
  base: AppContext,
  routes: RouteRecord[],
  operatorSecret?: string,
): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  app.decorateRequest('ctx', null as unknown as AppContext);
  app.decorateRequest('csrfToken', undefined);

  app.addHook('onRoute', (route) => {
    // The OpenAPI document and its viewer are public by design.
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), permission: 'public' };
    routes.push({
      method: route.method,
      url: route.url,
      permission: (route.config as { permission?: RoutePermission })?.permission,
    });
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    request.ctx = { ...base, actor: anonymousActor };
    const url = request.routeOptions.url;
    if (!url?.startsWith('/api')) return;
    const permission = request.routeOptions.config.permission;
    if (permission === undefined) {
      throw new AppError('FORBIDDEN', { zh: '此接口未声明权限', en: 'This route declares no permission' });
    }
    if (permission === 'public') return;
    const identity = await identify(request, base, operatorSecret);
    if (!identity) throw new AppError('UNAUTHENTICATED', { zh: '请先登录', en: 'Please log in' });
    if (identity.csrf !== undefined && !SAFE_METHODS.has(request.method)) {
      if (request.headers['x-csrf-token'] !== identity.csrf) {
        throw new AppError('FORBIDDEN', {
          zh: 'CSRF 校验失败，请刷新页面',
          en: 'CSRF check failed: reload the page',
        });
      }
    }
    request.ctx = { ...base, actor: identity.actor };
    request.csrfToken = identity.csrf;
    // Known before any use case opens a transaction (see visibilityOf).
    await visibilityOf(request.ctx);
    if (permission !== 'authenticated' && !actorCan(identity.actor, permission)) {
      throw new AppError(
        'FORBIDDEN',
        { zh: '没有执行此操作的权限', en: 'You do not have permission for this' },
        {
          permission,
        },
      );
    }
  });
}
