import type {
  AuditPage,
  AuditVerification,
  Collaborator,
  CollaboratorInput,
  Consent,
  ConsentInput,
  Contact,
  ContactInput,
  Customer,
  CustomerInput,
  FieldError,
  Meta,
  OwnershipTransfer,
  Page,
  PersonalField,
  SessionUser,
  Team,
  Transaction,
  TransactionInput,
  User,
  UserInput,
} from './types';

/** The server's `{ error: { code, message, details } }`, thrown for every non-2xx answer. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Per-field problems, when the server sent them as a list. */
  get fieldErrors(): FieldError[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(isFieldError);
  }
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.field === 'string' && typeof record.message === 'string';
}

/** A page of the customer list: `total` is a lower bound ("5,000+") when `totalIsExact` is false. */
export type CustomerPage = Page<Customer> & { total: number; totalIsExact: boolean };

export type QueryValue = string | number | boolean | null | undefined | readonly string[];
export type Query = Record<string, QueryValue>;

/** Arrays become repeated parameters (the server reads them as OR / all-of lists). */
export function toSearchParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, item);
    } else {
      params.append(key, String(value));
    }
  }
  return params;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  /** A file sent as it is (`application/octet-stream`), e.g. an upload; `body` is ignored then. */
  rawBody?: Blob;
  signal?: AbortSignal;
}

export const CSRF_COOKIE = 'clientele_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session's CSRF token as the last login or /auth/me answered it. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      return part.slice(at + 1).trim();
    }
  }
  return null;
}

/**
 * The cookie goes with the session cookie (a login in another tab replaces both), so it wins;
 * the remembered token covers a browser that hides the cookie from scripts.
 */
export function currentCsrfToken(): string | null {
  return readCookie(CSRF_COOKIE) || csrfToken;
}

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();

/**
 * Called whenever the server answers 401 outside /auth/* — the session expired or was ended.
 * Returns the unsubscribe function.
 */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const qs = options.query ? toSearchParams(options.query).toString() : '';
  const url = `/api${path}${qs ? `?${qs}` : ''}`;
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (options.signal) init.signal = options.signal;
  if (options.rawBody !== undefined) {
    init.body = options.rawBody;
    headers['content-type'] = 'application/octet-stream';
  } else if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  if (!SAFE_METHODS.has(method)) {
    const token = currentCsrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', '无法连接服务器 / Cannot reach the server');
  }
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = toApiError(response.status, data);
    // A wrong password (login) or "not logged in yet" (me) is the caller's business, not an expiry.
    if (response.status === 401 && !path.startsWith('/auth/')) {
      for (const listener of [...unauthenticatedListeners]) listener();
    }
    throw error;
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toApiError(status: number, data: unknown): ApiError {
  if (typeof data === 'object' && data !== null && 'error' in data) {
    const error = (data as { error: unknown }).error;
    if (typeof error === 'object' && error !== null) {
      const e = error as Record<string, unknown>;
      const code = typeof e.code === 'string' ? e.code : 'HTTP_ERROR';
      const message = typeof e.message === 'string' ? e.message : `HTTP ${status}`;
      return new ApiError(status, code, message, e.details);
    }
  }
  return new ApiError(status, 'HTTP_ERROR', `HTTP ${status}`);
}

type Id = number | string;
const enc = (id: Id) => encodeURIComponent(String(id));

export const api = {
  login: (username: string, password: string) =>
    request<SessionUser>('/auth/login', { method: 'POST', body: { username, password } }),
  logout: () => request<unknown>('/auth/logout', { method: 'POST' }),
  me: (signal?: AbortSignal) => request<SessionUser>('/auth/me', { signal }),

  listUsers: (signal?: AbortSignal) => request<{ items: User[] }>('/users', { signal }),
  createUser: (body: UserInput) => request<User>('/users', { method: 'POST', body }),
  listTeams: (signal?: AbortSignal) => request<{ items: Team[] }>('/teams', { signal }),

  listAudit: (query: Query, signal?: AbortSignal) => request<AuditPage>('/audit', { query, signal }),
  verifyAudit: () => request<AuditVerification>('/audit/verify'),

  meta: (signal?: AbortSignal) => request<Meta>('/meta', { signal }),
  loadDemo: () =>
    request<{ customers: number; contacts: number; transactions: number }>('/demo', {
      method: 'POST',
      body: {},
    }),

  /** `exactTotal: true` counts every match; by default the total stops at 5,000 (`totalIsExact: false`). */
  listCustomers: (query: Query, signal?: AbortSignal) =>
    request<CustomerPage>('/customers', { query, signal }),
  getCustomer: (id: Id, signal?: AbortSignal) => request<Customer>(`/customers/${enc(id)}`, { signal }),
  createCustomer: (body: CustomerInput) => request<Customer>('/customers', { method: 'POST', body }),
  updateCustomer: (id: Id, body: CustomerInput & { version: number }) =>
    request<Customer>(`/customers/${enc(id)}`, { method: 'PATCH', body }),
  deleteCustomer: (id: Id) => request<unknown>(`/customers/${enc(id)}`, { method: 'DELETE' }),
  /** Full values of masked personal fields (the server audits every reveal). */
  revealCustomer: (id: Id, fields: PersonalField[]) =>
    request<Partial<Record<PersonalField, string | null>>>(`/customers/${enc(id)}/reveal`, {
      method: 'POST',
      body: { fields },
    }),

  listContacts: (customerId: Id, signal?: AbortSignal) =>
    request<{ items: Contact[] }>(`/customers/${enc(customerId)}/contacts`, { signal }),
  createContact: (customerId: Id, body: ContactInput) =>
    request<Contact>(`/customers/${enc(customerId)}/contacts`, { method: 'POST', body }),
  updateContact: (customerId: Id, contactId: Id, body: ContactInput) =>
    request<Contact>(`/customers/${enc(customerId)}/contacts/${enc(contactId)}`, { method: 'PATCH', body }),
  deleteContact: (customerId: Id, contactId: Id) =>
    request<unknown>(`/customers/${enc(customerId)}/contacts/${enc(contactId)}`, { method: 'DELETE' }),

  listTransactions: (customerId: Id, query: Query, signal?: AbortSignal) =>
    request<Page<Transaction>>(`/customers/${enc(customerId)}/transactions`, { query, signal }),
  createTransaction: (customerId: Id, body: TransactionInput) =>
    request<Transaction>(`/customers/${enc(customerId)}/transactions`, { method: 'POST', body }),
  deleteTransaction: (customerId: Id, txId: Id) =>
    request<unknown>(`/customers/${enc(customerId)}/transactions/${enc(txId)}`, { method: 'DELETE' }),

  transferCustomer: (id: Id, body: { to: string; reason?: string }) =>
    request<Customer>(`/customers/${enc(id)}/transfer`, { method: 'POST', body }),
  listTransfers: (id: Id, signal?: AbortSignal) =>
    request<{ items: OwnershipTransfer[] }>(`/customers/${enc(id)}/transfers`, { signal }),

  listCollaborators: (id: Id, signal?: AbortSignal) =>
    request<{ items: Collaborator[] }>(`/customers/${enc(id)}/collaborators`, { signal }),
  setCollaborator: (id: Id, username: string, body: CollaboratorInput) =>
    request<{ items: Collaborator[] }>(`/customers/${enc(id)}/collaborators/${enc(username)}`, {
      method: 'PUT',
      body,
    }),
  removeCollaborator: (id: Id, username: string) =>
    request<unknown>(`/customers/${enc(id)}/collaborators/${enc(username)}`, { method: 'DELETE' }),

  listConsents: (id: Id, signal?: AbortSignal) =>
    request<{ items: Consent[] }>(`/customers/${enc(id)}/consents`, { signal }),
  recordConsent: (id: Id, body: ConsentInput) =>
    request<Consent>(`/customers/${enc(id)}/consents`, { method: 'POST', body }),
  withdrawConsent: (id: Id, consentId: Id) =>
    request<Consent>(`/customers/${enc(id)}/consents/${enc(consentId)}/withdraw`, { method: 'POST' }),

  /** A plain GET (the session cookie goes along), for a download link. */
  dataExportUrl: (id: Id, format: 'json' | 'xlsx') =>
    `/api/customers/${enc(id)}/data-export?${toSearchParams({ format }).toString()}`,
  eraseCustomer: (id: Id) => request<unknown>(`/customers/${enc(id)}/erase`, { method: 'POST' }),
};
