import type { Queryable } from '../../db/database.js';
import { findPreset, presets } from '../../domain/tiers/presets.js';
import { type CustomFieldKinds, parseScheme, type Scheme } from '../../domain/tiers/scheme.js';
import { AppError, notFound, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';
import { listCustomFields } from '../custom-fields/custom-fields.js';

export const SCHEME = { zh: '分级方案', en: 'Tier scheme' };

export interface SchemeSummary {
  id: string;
  version: number;
  active: boolean;
  name: { zh: string; en: string };
  cadence: string;
  tiers: { key: string; name: { zh: string; en: string }; rank: number }[];
  assigned: number;
  lastReviewOn: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredScheme {
  id: string;
  version: number;
  active: boolean;
  definition: Scheme;
}

/** Custom fields as rules may use them: numbers compare as numbers; personal (encrypted) ones not at all. */
export async function customFieldKinds(db: Queryable): Promise<CustomFieldKinds> {
  const kinds: CustomFieldKinds = {};
  for (const field of await listCustomFields(db)) {
    kinds[field.key] = field.personal
      ? 'other'
      : field.type === 'number'
        ? 'number'
        : field.type === 'text' || field.type === 'single_select' || field.type === 'boolean'
          ? 'text'
          : 'other';
  }
  return kinds;
}

/** Validates a scheme definition against the database's custom fields; throws VALIDATION_FAILED. */
export async function validateScheme(db: Queryable, input: unknown): Promise<Scheme> {
  const result = parseScheme(input, await customFieldKinds(db));
  if (!result.ok) throw validationError(result.issues);
  return result.scheme;
}

export function presetList() {
  return presets.map((preset) => {
    const result = parseScheme(preset);
    if (!result.ok) throw new Error(`preset ${preset.id} is invalid`);
    return result.scheme;
  });
}

export async function getScheme(db: Queryable, id: string, version?: number): Promise<StoredScheme> {
  const { rows } = await db.query<{ id: string; version: number; active: boolean; definition: Scheme }>(
    `SELECT s.id, v.version, s.active, v.definition
     FROM tier_schemes s JOIN tier_scheme_versions v ON v.scheme_id = s.id AND v.version = coalesce($2, s.current_version)
     WHERE s.id = $1`,
    [id, version ?? null],
  );
  const row = rows[0];
  if (!row) throw notFound(SCHEME);
  return row;
}

export async function listSchemes(db: Queryable): Promise<SchemeSummary[]> {
  const { rows } = await db.query<{
    id: string;
    version: number;
    active: boolean;
    definition: Scheme;
    assigned: number;
    lastReviewOn: string | null;
    createdAt: string;
    updatedAt: string;
  }>(
    `SELECT s.id, s.current_version AS version, s.active, v.definition,
       (SELECT count(*)::int FROM tier_assignments a WHERE a.scheme_id = s.id) AS assigned,
       (SELECT max(r.as_of) FROM tier_reviews r WHERE r.scheme_id = s.id) AS "lastReviewOn",
       s.created_at AS "createdAt", s.updated_at AS "updatedAt"
     FROM tier_schemes s JOIN tier_scheme_versions v ON v.scheme_id = s.id AND v.version = s.current_version
     ORDER BY s.created_at, s.id`,
  );
  return rows.map(({ definition, ...row }) => ({
    ...row,
    name: definition.name,
    cadence: definition.cadence,
    tiers: definition.tiers.map(({ key, name, rank }) => ({ key, name, rank })),
  }));
}

/**
 * Creates a scheme from a definition, or from a preset (`preset`, optionally under another `id`).
 */
export async function createScheme(
  ctx: AppContext,
  input: { definition?: unknown; preset?: string; id?: string },
): Promise<StoredScheme> {
  let definition = input.definition;
  if (input.preset !== undefined) {
    const preset = findPreset(input.preset);
    if (!preset) {
      throw validationError([
        {
          field: 'preset',
          message: `未知预设，可用：${presets.map((p) => p.id).join(', ')} / Unknown preset; use one of ${presets
            .map((p) => p.id)
            .join(', ')}`,
        },
      ]);
    }
    definition = { ...preset, id: input.id ?? preset.id };
  } else if (input.id !== undefined && typeof definition === 'object' && definition !== null) {
    definition = { ...definition, id: input.id };
  }
  const scheme = await validateScheme(ctx.db, definition);
  return ctx.db.transaction(async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO tier_schemes (id, current_version, created_at, updated_at) VALUES ($1, 1, $2, $2)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [scheme.id, ctx.now().toISOString()],
    );
    if (inserted.rows.length === 0) {
      throw new AppError('DUPLICATE', {
        zh: `分级方案 ${scheme.id} 已存在`,
        en: `Tier scheme ${scheme.id} already exists`,
      });
    }
    await tx.query(
      `INSERT INTO tier_scheme_versions (scheme_id, version, definition, created_by, created_at) VALUES ($1, 1, $2, $3, $4)`,
      [scheme.id, JSON.stringify(scheme), ctx.actor.name, ctx.now().toISOString()],
    );
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'tiers.scheme.create',
        entityType: 'tier_scheme',
        entityId: scheme.id,
        details: { version: 1 },
      },
      ctx.now(),
    );
    return { id: scheme.id, version: 1, active: true, definition: scheme };
  });
}

/** Saves an edited definition as the scheme's next version; history keeps naming the old one. */
export async function updateScheme(ctx: AppContext, id: string, input: unknown): Promise<StoredScheme> {
  const definition = typeof input === 'object' && input !== null ? { ...input, id } : input;
  const scheme = await validateScheme(ctx.db, definition);
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ current_version: number; active: boolean }>(
      'SELECT current_version, active FROM tier_schemes WHERE id = $1 FOR UPDATE',
      [id],
    );
    const current = rows[0];
    if (!current) throw notFound(SCHEME);
    const version = current.current_version + 1;
    await tx.query(
      `INSERT INTO tier_scheme_versions (scheme_id, version, definition, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [id, version, JSON.stringify(scheme), ctx.actor.name, ctx.now().toISOString()],
    );
    await tx.query('UPDATE tier_schemes SET current_version = $2, updated_at = $3 WHERE id = $1', [
      id,
      version,
      ctx.now().toISOString(),
    ]);
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'tiers.scheme.update', entityType: 'tier_scheme', entityId: id, details: { version } },
      ctx.now(),
    );
    return { id, version, active: current.active, definition: scheme };
  });
}

/** Turns scheduled reviews on or off (the scheme, its assignments and history stay). */
export async function setSchemeActive(ctx: AppContext, id: string, active: boolean): Promise<StoredScheme> {
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query(
      'UPDATE tier_schemes SET active = $2, updated_at = $3 WHERE id = $1 RETURNING id',
      [id, active, ctx.now().toISOString()],
    );
    if (rows.length === 0) throw notFound(SCHEME);
    await recordAudit(
      tx,
      ctx.actor,
      { action: 'tiers.scheme.active', entityType: 'tier_scheme', entityId: id, details: { active } },
      ctx.now(),
    );
  });
  return getScheme(ctx.db, id);
}

export async function listSchemeVersions(
  db: Queryable,
  id: string,
): Promise<{ version: number; createdBy: string; createdAt: string }[]> {
  await getScheme(db, id);
  const { rows } = await db.query<{ version: number; createdBy: string; createdAt: string }>(
    `SELECT version, created_by AS "createdBy", created_at AS "createdAt" FROM tier_scheme_versions
     WHERE scheme_id = $1 ORDER BY version DESC`,
    [id],
  );
  return rows;
}
