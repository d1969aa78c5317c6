import {
  CONTACT_DATA_MATCHES,
  type DuplicateGroup,
  type DuplicateLevel,
  groupMatches,
  type Match,
} from '../../domain/duplicates/groups.js';
import {
  MIN_ENTERPRISE_NAME_LENGTH,
  MIN_NAME_LENGTH,
  matchNames,
  type NameKeys,
} from '../../domain/duplicates/name-match.js';
import type { AppContext } from '../../shared/context.js';
import { readableCustomersCondition } from '../quality/readable-customers.js';
import { refreshNameKeys } from './name-keys.js';

export interface DuplicateMember {
  id: number;
  code: string;
  name: string;
  type: string;
  owner: string | null;
}

export interface DuplicateMatchOut {
  kind: Match['kind'];
  /** Customer codes sharing it. */
  customers: string[];
  viaContact?: string[];
  key?: string;
  distance?: number;
}

export interface DuplicateGroupOut {
  level: DuplicateLevel;
  members: DuplicateMember[];
  matches: DuplicateMatchOut[];
}

export interface DuplicateReport {
  groups: DuplicateGroupOut[];
  /** Groups found, before paging. */
  total: number;
  counts: Record<DuplicateLevel, number>;
  /** Customers whose name keys were (re)computed for this search. */
  keysComputed: number;
}

export interface FindDuplicatesOptions {
  level?: DuplicateLevel;
  limit?: number;
  offset?: number;
}

/** Variants of names longer than this are not enumerated for two edits (the count grows with the square). */
const MAX_TWO_EDIT_LENGTH = 30;

/**
 * Finds groups of customers that are, or may be, the same — within the actor's data scope and
 * without comparing every pair:
 * - shared phone or e-mail (the customers' own or their contacts'), compared by blind index and
 *   grouped in SQL: a duplicate;
 * - the same normalised name, or the same pinyin, grouped in SQL on stored name keys;
 * - similar names, found by blocking on deletion variants in SQL (two names within k edits share a
 *   variant with at most k characters deleted from each) and checked by `matchNames`.
 * The last three make a possible duplicate.
 */
export async function findDuplicateCustomers(
  ctx: AppContext,
  options: FindDuplicatesOptions = {},
): Promise<DuplicateReport> {
  const keysComputed = await refreshNameKeys(ctx);
  const matches = [
    ...(await contactDataMatches(ctx)),
    ...(await nameKeyMatches(ctx)),
    ...(await similarNameMatches(ctx)),
  ];
  const all = groupMatches(matches);
  const counts = { duplicate: 0, possible: 0 };
  for (const group of all) counts[group.level]++;
  const wanted = options.level ? all.filter((group) => group.level === options.level) : all;
  const offset = options.offset ?? 0;
  const page = wanted.slice(offset, offset + (options.limit ?? 50));
  return { groups: await describeGroups(ctx, page), total: wanted.length, counts, keysComputed };
}

/** Shared phones and e-mails: personal_index's blind indexes, with where each came from. */
async function contactDataMatches(ctx: AppContext): Promise<Match[]> {
  const params: unknown[] = [];
  const scope = await readableCustomersCondition(ctx, 'c', params);
  const { rows } = await ctx.db.query<{
    kind: 'phone' | 'email';
    ids: number[];
    direct: number[] | null;
  }>(
    `WITH s AS (SELECT c.id, c.phone_index, c.email_index FROM customers c WHERE ${scope}),
     keys AS (
       SELECT id, 'phone' AS kind, phone_index AS value, false AS contact FROM s WHERE phone_index IS NOT NULL
       UNION ALL SELECT id, 'email', email_index, false FROM s WHERE email_index IS NOT NULL
       UNION ALL SELECT k.customer_id, 'phone', k.phone_index, true
         FROM contacts k JOIN s ON s.id = k.customer_id WHERE k.phone_index IS NOT NULL
       UNION ALL SELECT k.customer_id, 'email', k.email_index, true
         FROM contacts k JOIN s ON s.id = k.customer_id WHERE k.email_index IS NOT NULL
     )
     SELECT kind, array_agg(DISTINCT id ORDER BY id) AS ids,
            array_agg(DISTINCT id ORDER BY id) FILTER (WHERE NOT contact) AS direct
     FROM keys GROUP BY kind, value HAVING count(DISTINCT id) > 1`,
    params,
  );
  return rows.map((row) => {
    // A customer that has the value itself as well as through a contact shares it directly.
    const direct = new Set(row.direct ?? []);
    const viaContact = row.ids.filter((id) => !direct.has(id));
    return { kind: row.kind, customers: row.ids, ...(viaContact.length > 0 ? { viaContact } : {}) };
  });
}

/** The eligible name keys in the actor's scope, as a CTE named `n`. */
async function namesCte(ctx: AppContext, params: unknown[]): Promise<string> {
  const scope = await readableCustomersCondition(ctx, 'c', params);
  return `n AS (
    SELECT k.customer_id AS id, k.name_key AS key, k.pinyin_key AS pinyin, k.key_length AS len
    FROM customer_name_keys k JOIN customers c ON c.id = k.customer_id
    WHERE k.name = c.name
      AND k.key_length >= CASE WHEN c.type = 'enterprise' THEN ${MIN_ENTERPRISE_NAME_LENGTH} ELSE ${MIN_NAME_LENGTH} END
      AND ${scope})`;
}

/** The same normalised name; the same pinyin for names written differently. */
async function nameKeyMatches(ctx: AppContext): Promise<Match[]> {
  const params: unknown[] = [];
  const names = await namesCte(ctx, params);
  const { rows } = await ctx.db.query<{ kind: 'same_name' | 'same_pinyin'; key: string; ids: number[] }>(
    `WITH ${names}
     SELECT 'same_name' AS kind, key, array_agg(id ORDER BY id) AS ids FROM n GROUP BY key HAVING count(*) > 1
     UNION ALL
     SELECT 'same_pinyin', pinyin, array_agg(id ORDER BY id) FROM n WHERE pinyin <> ''
     GROUP BY pinyin HAVING count(DISTINCT key) > 1`,
    params,
  );
  return rows.map((row) => ({ kind: row.kind, customers: row.ids, key: row.key }));
}

interface CandidateRow {
  a: number;
  b: number;
  a_key: string;
  a_pinyin: string;
  a_len: number;
  b_key: string;
  b_pinyin: string;
  b_len: number;
}

/**
 * Pairs of names within a few edits. Chinese names: the shorter one equals the longer with one
 * (two, from 8 characters) characters deleted — a join of the longer names' deletion variants with
 * the names themselves. Names in Latin letters: symmetric deletion variants (typos replace letters too).
 */
async function similarNameMatches(ctx: AppContext): Promise<Match[]> {
  const params: unknown[] = [];
  const names = await namesCte(ctx, params);
  const one = (alias: string) => `overlay(${alias}.key placing '' from i for 1)`;
  const two = (alias: string) =>
    `overlay(overlay(${alias}.key placing '' from j for 1) placing '' from i for 1)`;
  const { rows } = await ctx.db.query<CandidateRow>(
    `WITH ${names},
     longer AS (SELECT * FROM n WHERE pinyin <> '' AND len >= ${MIN_NAME_LENGTH + 1}),
     han_variants AS (
       SELECT l.id, ${one('l')} AS variant FROM longer l, generate_series(1, l.len) i
       UNION ALL
       SELECT l.id, ${two('l')} FROM longer l, generate_series(1, l.len - 1) i, generate_series(i + 1, l.len) j
       WHERE l.len BETWEEN 10 AND ${MAX_TWO_EDIT_LENGTH}
     ),
     latin AS (SELECT * FROM n WHERE pinyin = '' AND len >= ${MIN_NAME_LENGTH}),
     latin_variants AS (
       SELECT l.id, l.key AS variant FROM latin l
       UNION ALL
       SELECT l.id, ${one('l')} FROM latin l, generate_series(1, l.len) i
       UNION ALL
       SELECT l.id, ${two('l')} FROM latin l, generate_series(1, l.len - 1) i, generate_series(i + 1, l.len) j
       WHERE l.len BETWEEN 8 AND ${MAX_TWO_EDIT_LENGTH}
     ),
     pairs AS (
       SELECT DISTINCT least(v.id, s.id) AS a, greatest(v.id, s.id) AS b
       FROM han_variants v JOIN n s ON s.key = v.variant AND s.pinyin <> '' AND s.id <> v.id
       UNION
       SELECT DISTINCT x.id, y.id FROM latin_variants x JOIN latin_variants y ON x.variant = y.variant AND x.id < y.id
     )
     SELECT p.a, p.b, na.key AS a_key, na.pinyin AS a_pinyin, na.len AS a_len,
            nb.key AS b_key, nb.pinyin AS b_pinyin, nb.len AS b_len
     FROM pairs p JOIN n na ON na.id = p.a JOIN n nb ON nb.id = p.b`,
    params,
  );
  const matches: Match[] = [];
  for (const row of rows) {
    const a: NameKeys = { key: row.a_key, pinyin: row.a_pinyin, length: row.a_len };
    const b: NameKeys = { key: row.b_key, pinyin: row.b_pinyin, length: row.b_len };
    const match = matchNames(a, b);
    // Same names and same readings are already grouped whole by nameKeyMatches.
    if (match?.kind === 'similar_name') {
      matches.push({ kind: 'similar_name', customers: [row.a, row.b], distance: match.distance });
    }
  }
  return matches;
}

async function describeGroups(ctx: AppContext, groups: DuplicateGroup[]): Promise<DuplicateGroupOut[]> {
  const ids = Array.from(new Set(groups.flatMap((group) => group.customers)));
  if (ids.length === 0) return [];
  const { rows } = await ctx.db.query<DuplicateMember>(
    `SELECT c.id, c.code, c.name, c.type, u.username AS owner
     FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE c.id = ANY($1::bigint[])`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const code = (id: number) => byId.get(id)?.code ?? String(id);
  return groups.map((group) => ({
    level: group.level,
    members: group.customers.flatMap((id) => byId.get(id) ?? []),
    matches: group.matches
      .slice()
      .sort((x, y) => Number(CONTACT_DATA_MATCHES.has(y.kind)) - Number(CONTACT_DATA_MATCHES.has(x.kind)))
      .map((match) => ({
        kind: match.kind,
        customers: match.customers.map(code),
        ...(match.viaContact ? { viaContact: match.viaContact.map(code) } : {}),
        ...(match.key !== undefined ? { key: match.key } : {}),
        ...(match.distance !== undefined ? { distance: match.distance } : {}),
      })),
  }));
}
