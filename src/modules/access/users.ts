import { z } from 'zod';
import type { Queryable } from '../../db/database.js';
import { hashPassword, passwordProblem } from '../../domain/security/passwords.js';
import { type Role, roles } from '../../domain/security/roles.js';
import { AppError, notFound, validationError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { recordAudit } from '../audit/audit-log.js';

export interface User {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  teamId: number | null;
  team: string | null;
  disabled: boolean;
  createdAt: string;
}

export interface Team {
  id: number;
  name: string;
  parentId: number | null;
  parent: string | null;
  managerId: number | null;
  manager: string | null;
}

const TEAM = { zh: '团队', en: 'Team' };

const SELECT_USER = `SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.team_id AS "teamId",
  t.name AS team, u.disabled, u.created_at AS "createdAt" FROM users u LEFT JOIN teams t ON t.id = u.team_id`;

export const addUserSchema = z.object({
  username: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/,
      '用户名只能含字母、数字和 _ . @ - / Letters, digits and _ . @ - only',
    ),
  role: z.enum(roles),
  team: z.string().min(1).optional(),
  displayName: z.string().max(100).optional(),
  password: z.string(),
});

async function teamIdByName(db: Queryable, name: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM teams WHERE name = $1', [name]);
  if (!rows[0]) throw notFound(TEAM);
  return rows[0].id;
}

export async function findUserByUsername(db: Queryable, username: string): Promise<User | undefined> {
  const { rows } = await db.query<User>(`${SELECT_USER} WHERE u.username = $1`, [username]);
  return rows[0];
}

export async function requireUserByUsername(db: Queryable, username: string): Promise<User> {
  const user = await findUserByUsername(db, username);
  if (!user) {
    throw new AppError('NOT_FOUND', { zh: `用户 ${username} 不存在`, en: `No user named ${username}` }, [
      { field: 'username', message: `${username} 不存在 / does not exist` },
    ]);
  }
  return user;
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const { rows } = await db.query<User>(`${SELECT_USER} ORDER BY u.username`);
  return rows;
}

export async function addUser(ctx: AppContext, input: z.input<typeof addUserSchema>): Promise<User> {
  const user = parseOrThrow(addUserSchema, input);
  const problem = passwordProblem(user.password);
  if (problem) throw validationError([{ field: 'password', message: `${problem.zh} / ${problem.en}` }]);
  const passwordHash = await hashPassword(user.password);
  return ctx.db.transaction(async (tx) => {
    if (await findUserByUsername(tx, user.username)) {
      throw new AppError(
        'DUPLICATE',
        { zh: `用户 ${user.username} 已存在`, en: `User ${user.username} already exists` },
        [{ field: 'username', message: '已存在 / Already exists' }],
      );
    }
    const teamId = user.team ? await teamIdByName(tx, user.team) : null;
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO users (username, display_name, role, team_id, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [user.username, user.displayName ?? null, user.role, teamId, passwordHash],
    );
    await recordAudit(tx, ctx.actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: rows[0]?.id,
      details: { username: user.username, role: user.role, team: user.team ?? null },
    });
    return (await findUserByUsername(tx, user.username)) as User;
  });
}

export async function changeUserRole(ctx: AppContext, username: string, role: Role): Promise<User> {
  return ctx.db.transaction(async (tx) => {
    const user = await requireUserByUsername(tx, username);
    await tx.query('UPDATE users SET role = $2, updated_at = now() WHERE id = $1', [user.id, role]);
    // A role change takes effect now: existing sessions carry the old rights.
    await tx.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    await recordAudit(tx, ctx.actor, {
      action: 'user.role',
      entityType: 'user',
      entityId: user.id,
      details: { username, before: user.role, after: role },
    });
    return (await findUserByUsername(tx, username)) as User;
  });
}

export async function listTeams(db: Queryable): Promise<Team[]> {
  const { rows } = await db.query<Team>(
    `SELECT t.id, t.name, t.parent_id AS "parentId", p.name AS parent, t.manager_id AS "managerId", m.username AS manager
     FROM teams t LEFT JOIN teams p ON p.id = t.parent_id LEFT JOIN users m ON m.id = t.manager_id ORDER BY t.name`,
  );
  return rows;
}

export async function addTeam(
  ctx: AppContext,
  input: { name: string; parent?: string; manager?: string },
): Promise<Team> {
  const name = input.name.trim();
  if (!name) throw validationError([{ field: 'name', message: '不能为空 / Required' }]);
  return ctx.db.transaction(async (tx) => {
    const existing = await tx.query('SELECT 1 FROM teams WHERE name = $1', [name]);
    if (existing.rows.length > 0) {
      throw new AppError('DUPLICATE', { zh: `团队 ${name} 已存在`, en: `Team ${name} already exists` }, [
        { field: 'name', message: '已存在 / Already exists' },
      ]);
    }
    const parentId = input.parent ? await teamIdByName(tx, input.parent) : null;
    const managerId = input.manager ? (await requireUserByUsername(tx, input.manager)).id : null;
    const { rows } = await tx.query<{ id: number }>(
      'INSERT INTO teams (name, parent_id, manager_id) VALUES ($1, $2, $3) RETURNING id',
      [name, parentId, managerId],
    );
    await recordAudit(tx, ctx.actor, {
      action: 'team.create',
      entityType: 'team',
      entityId: rows[0]?.id,
      details: { name, parent: input.parent ?? null, manager: input.manager ?? null },
    });
    return (await listTeams(tx)).find((team) => team.name === name) as Team;
  });
}

/**
 * The users whose customers a team-scoped user sees: everyone in their team and its sub-teams,
 * plus teams they manage (本部门).
 */
export async function teamMemberIds(db: Queryable, userId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `WITH RECURSIVE roots AS (
       SELECT team_id AS id FROM users WHERE id = $1 AND team_id IS NOT NULL
       UNION SELECT id FROM teams WHERE manager_id = $1
     ), tree AS (
       SELECT id FROM roots
       UNION SELECT t.id FROM teams t JOIN tree ON t.parent_id = tree.id
     )
     SELECT u.id FROM users u WHERE u.team_id IN (SELECT id FROM tree) OR u.id = $1`,
    [userId],
  );
  return rows.map((row) => row.id);
}
