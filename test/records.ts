import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { ApiResponse } from './api.js';
import type { TestUser } from './test-context.js';

/** JSON requests as one user (their API token) — for data-scope tests of the record modules. */
export function clientAs(app: FastifyInstance, user: TestUser) {
  const send = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const response = await app.inject({
      method,
      url,
      headers: user.headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    const type = String(response.headers['content-type'] ?? '');
    return {
      status: response.statusCode,
      body: type.includes('application/json') ? response.json() : response.body,
      headers: response.headers,
    } satisfies ApiResponse;
  };
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload: unknown) => send('POST', url, payload),
    patch: (url: string, payload: unknown) => send('PATCH', url, payload),
    del: (url: string) => send('DELETE', url),
  };
}

/** Asserts a 2xx status, showing the body when it is not. */
export function expectOk(response: ApiResponse, status = 200) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  // biome-ignore lint/suspicious/noExplicitAny: bodies are checked field by field in the tests
  return response.body as any;
}
