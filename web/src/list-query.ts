import type { Query } from './api';

export const FILTER_KEYS = ['type', 'stage', 'status', 'industry', 'province', 'tag'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const PAGE_SIZES = [20, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** What the customer list shows; it lives in the URL so that links and reloads keep it. */
export interface ListParams {
  search: string;
  filters: Record<FilterKey, string[]>;
  sort: string | null;
  limit: number;
}

export function readListParams(sp: URLSearchParams): ListParams {
  const filters = {} as Record<FilterKey, string[]>;
  for (const key of FILTER_KEYS) filters[key] = sp.getAll(key).filter(Boolean);
  const limit = Number(sp.get('limit'));
  return {
    search: sp.get('search') ?? '',
    filters,
    sort: sp.get('sort') || null,
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
  };
}

export function writeListParams(params: ListParams): URLSearchParams {
  const sp = new URLSearchParams();
  if (params.search) sp.set('search', params.search);
  for (const key of FILTER_KEYS) for (const value of params.filters[key]) sp.append(key, value);
  if (params.sort) sp.set('sort', params.sort);
  if (params.limit !== DEFAULT_PAGE_SIZE) sp.set('limit', String(params.limit));
  return sp;
}

export function toApiQuery(params: ListParams, cursor: string | null): Query {
  return {
    ...params.filters,
    search: params.search.trim(),
    sort: params.sort,
    limit: params.limit,
    cursor,
  };
}

export function hasFilters(params: ListParams): boolean {
  return params.search.trim() !== '' || FILTER_KEYS.some((key) => params.filters[key].length > 0);
}

/** `sort=name` / `sort=-name` as antd's sort order for one column. */
export function sortOrderOf(sort: string | null, field: string): 'ascend' | 'descend' | null {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

/** Cursor stack kept in history state: entry i opens page i + 2 (page 1 needs no cursor). */
export interface PagingState {
  cursors: string[];
}

export function readPagingState(state: unknown): PagingState {
  if (typeof state === 'object' && state !== null && 'cursors' in state) {
    const cursors = (state as { cursors: unknown }).cursors;
    if (Array.isArray(cursors) && cursors.every((c) => typeof c === 'string')) return { cursors };
  }
  return { cursors: [] };
}
