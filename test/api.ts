import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

export interface ApiResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in the tests
  body: any;
  headers: Record<string, unknown>;
}

/** Small JSON client over `app.inject` for the integration tests. */
export function apiClient(app: FastifyInstance) {
  const send = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ) => {
    const response = await app.inject({
      method,
      url,
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
    put: (url: string, payload: unknown) => send('PUT', url, payload),
    del: (url: string) => send('DELETE', url),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z]{2,}/;

/** A message in the product's two languages: some Chinese and some English. */
export function expectBilingual(message: unknown) {
  expect(typeof message).toBe('string');
  expect(message).toMatch(HAN);
  expect(message).toMatch(LATIN);
}

/**
 * Asserts the one error shape `{ error: { code, message, details? } }` with the given status and
 * code; with `fields`, that `details` names exactly those fields (in any order), each explained in
 * both languages. Returns the details.
 */
export function expectError(
  response: ApiResponse,
  status: number,
  code: string,
  fields?: string[],
): { field: string; message: string }[] {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
  expect(Object.keys(response.body)).toEqual(['error']);
  const { error } = response.body;
  for (const key of Object.keys(error)) expect(['code', 'message', 'details']).toContain(key);
  expectBilingual(error.message);
  if (fields) {
    expect(Array.isArray(error.details)).toBe(true);
    const named = (error.details as { field: string }[]).map((detail) => detail.field);
    expect([...new Set(named)].sort()).toEqual([...fields].sort());
    for (const detail of error.details as { field: string; message: string }[])
      expectBilingual(detail.message);
  }
  return Array.isArray(error.details) ? error.details : [];
}
