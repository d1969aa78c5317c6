import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { permissions, roleSpecs, roles } from '../../domain/security/roles.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../http/auth.js';
import { createApiToken, listApiTokens, login, logout, revokeApiToken, SESSION_MAX_MS } from './sessions.js';
import { addTeam, addUser, addUserSchema, changeUserRole, listTeams, listUsers } from './users.js';

const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(roles),
  teamId: z.number().int().nullable(),
  team: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
const teamSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  parentId: z.number().int().nullable(),
  parent: z.string().nullable(),
  managerId: z.number().int().nullable(),
  manager: z.string().nullable(),
});
const tokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(roles),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
const meSchema = z.object({
  username: z.string(),
  type: z.string(),
  role: z.enum(roles),
  scope: z.string(),
  permissions: z.array(z.enum(permissions)),
  csrfToken: z.string().nullable(),
});

export const accessRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/auth/login',
    {
      config: { permission: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Log in: sets the HttpOnly session cookie; returns the CSRF token for writes',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const result = await login(request.ctx, request.body.username, request.body.password, request.ip);
      const secure = request.protocol === 'https';
      const maxAge = SESSION_MAX_MS / 1000;
      reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge,
      });
      reply.setCookie(CSRF_COOKIE, result.csrfToken, {
        httpOnly: false,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge,
      });
      const spec = roleSpecs[result.user.role];
      return {
        username: result.user.username,
        type: 'user',
        role: result.user.role,
        scope: spec.scope,
        permissions: [...spec.permissions],
        csrfToken: result.csrfToken,
      };
    },
  );

  app.post(
    '/auth/logout',
    { config: { permission: 'authenticated' }, schema: { tags: ['auth'], summary: 'End the session' } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logout(request.ctx, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    { config: { permission: 'authenticated' }, schema: { tags: ['auth'], response: { 200: meSchema } } },
    async (request) => {
      const actor = request.ctx.actor;
      const spec = roleSpecs[actor.role];
      return {
        username: actor.name,
        type: actor.type,
        role: actor.role,
        scope: actor.scope,
        permissions: [...spec.permissions],
        csrfToken: request.csrfToken ?? null,
      };
    },
  );

  app.get(
    '/users',
    {
      config: { permission: 'users.manage' },
      schema: { tags: ['users'], response: { 200: z.object({ items: z.array(userSchema) }) } },
    },
    async (request) => ({ items: await listUsers(request.ctx.db) }),
  );
  app.post(
    '/users',
    {
      config: { permission: 'users.manage' },
      schema: { tags: ['users'], summary: 'Add a user', body: addUserSchema, response: { 201: userSchema } },
    },
    async (request, reply) => reply.status(201).send(await addUser(request.ctx, request.body)),
  );
  app.put(
    '/users/:username/role',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: "Change a user's role (their sessions end)",
        params: z.object({ username: z.string() }),
        body: z.object({ role: z.enum(roles) }),
        response: { 200: userSchema },
      },
    },
    (request) => changeUserRole(request.ctx, request.params.username, request.body.role),
  );
  app.get(
    '/teams',
    {
      config: { permission: 'authenticated' },
      schema: { tags: ['users'], response: { 200: z.object({ items: z.array(teamSchema) }) } },
    },
    async (request) => ({ items: await listTeams(request.ctx.db) }),
  );
  app.post(
    '/teams',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['users'],
        body: z.object({
          name: z.string().min(1).max(100),
          parent: z.string().optional(),
          manager: z.string().optional(),
        }),
        response: { 201: teamSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await addTeam(request.ctx, request.body)),
  );
  app.get(
    '/tokens',
    {
      config: { permission: 'tokens.manage' },
      schema: { tags: ['tokens'], response: { 200: z.object({ items: z.array(tokenSchema) }) } },
    },
    async (request) => ({ items: await listApiTokens(request.ctx.db) }),
  );
  app.post(
    '/tokens',
    {
      config: { permission: 'tokens.manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token scoped to a role; the token is shown only in this response',
        body: z.object({ name: z.string().min(1).max(100), role: z.enum(roles) }),
        response: { 201: tokenSchema.extend({ token: z.string() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await createApiToken(request.ctx, request.body)),
  );
  app.delete(
    '/tokens/:id',
    {
      config: { permission: 'tokens.manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token',
        params: z.object({ id: z.coerce.number().int().positive() }),
      },
    },
    async (request, reply) => {
      await revokeApiToken(request.ctx, request.params.id);
      return reply.status(204).send();
    },
  );
};
