import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import { verifyPassword } from '../../domain/security/passwords.js';
import { isRole, type Role, roleSpecs } from '../../domain/security/roles.js';
import { AppError } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { recordAudit } from '../audit/audit-log.js';
import { type Actor, userActor } from './actor.js';

export const SESSION_IDLE_MS = 2 * 3600_000;
export const SESSION_MAX_MS = 12 * 3600_000;
const MAX_FAILURES = 5;
const LOCKOUT_MS = 15 * 60_000;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function loginFailed(): AppError {
  // One message for unknown user and wrong password: no hint which usernames exist.
  return new AppError('UNAUTHENTICATED', { zh: '用户名或密码错误', en: 'Wrong username or password' });
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: { id: number; username: string; role: Role };
}

/** A password hash to check against when the user does not exist, so timing does not tell. */
let dummyHash: string | undefined;

/**
 * Checks a username and password. Five failures lock the account for 15 minutes; every attempt,
 * good or bad, is in the audit trail.
 */
export async function login(
  ctx: AppContext,
  username: string,
  password: string,
  ip: string,
): Promise<LoginResult> {
  const now = ctx.now();
  const { rows } = await ctx.db.query<{
    id: number;
    username: string;
    role: string;
    password_hash: string | null;
    disabled: boolean;
    failed_logins: number;
    locked_until: string | null;
  }>(
    'SELECT id, username, role, password_hash, disabled, failed_logins, locked_until FROM users WHERE username = $1',
    [username],
  );
  const user = rows[0];
  const audit = (action: string, details: Record<string, unknown>) =>
    ctx.db.transaction((tx) =>
      recordAudit(
        tx,
        {
          type: 'user',
          userId: user?.id ?? null,
          name: username.slice(0, 64),
          role: 'analyst',
          scope: 'own',
        },
        {
          action,
          entityType: 'user',
          entityId: user?.id,
          details: { ip, ...details },
        },
        now,
      ),
    );
  if (!user?.password_hash) {
    dummyHash ??= 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    await verifyPassword(password, dummyHash);
    await audit('auth.login_failed', { reason: 'unknown_user' });
    throw loginFailed();
  }
  if (user.locked_until && new Date(user.locked_until) > now) {
    await audit('auth.login_failed', { reason: 'locked' });
    throw new AppError('ACCOUNT_LOCKED', {
      zh: '登录失败次数过多，账号已暂时锁定，请 15 分钟后再试',
      en: 'Too many failed logins: the account is locked for 15 minutes',
    });
  }
  if (user.disabled || !(await verifyPassword(password, user.password_hash)) || !isRole(user.role)) {
    const failures = user.failed_logins + 1;
    const lock = failures >= MAX_FAILURES ? new Date(now.getTime() + LOCKOUT_MS).toISOString() : null;
    await ctx.db.query('UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1', [
      user.id,
      lock ? 0 : failures,
      lock,
    ]);
    await audit('auth.login_failed', {
      reason: user.disabled ? 'disabled' : 'password',
      locked: Boolean(lock),
    });
    throw loginFailed();
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_MAX_MS).toISOString();
  await ctx.db.transaction(async (tx) => {
    await tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [user.id]);
    await tx.query(
      'INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)',
      [sha256(token), user.id, csrfToken, now.toISOString(), expiresAt],
    );
    await recordAudit(
      tx,
      userActor({ id: user.id, username: user.username, role: user.role as Role }),
      {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        details: { ip },
      },
      now,
    );
  });
  return {
    token,
    csrfToken,
    expiresAt,
    user: { id: user.id, username: user.username, role: user.role as Role },
  };
}

export interface SessionInfo {
  actor: Actor;
  csrfToken: string;
}

/** The session behind a cookie value, if it exists and has neither expired nor idled out. */
export async function authenticateSession(ctx: AppContext, token: string): Promise<SessionInfo | undefined> {
  const now = ctx.now();
  const { rows } = await ctx.db.query<{
    user_id: number;
    username: string;
    role: string;
    csrf_token: string;
    last_seen_at: string;
    expires_at: string;
    disabled: boolean;
  }>(
    `SELECT s.user_id, u.username, u.role, s.csrf_token, s.last_seen_at, s.expires_at, u.disabled
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
    [sha256(token)],
  );
  const session = rows[0];
  if (!session || session.disabled || !isRole(session.role)) return undefined;
  const idleSince = now.getTime() - new Date(session.last_seen_at).getTime();
  if (new Date(session.expires_at) <= now || idleSince > SESSION_IDLE_MS) {
    await ctx.db.query('DELETE FROM sessions WHERE id = $1', [sha256(token)]);
    return undefined;
  }
  // Touch at most once a minute: reads should not become writes.
  if (idleSince > 60_000) {
    await ctx.db.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [
      sha256(token),
      now.toISOString(),
    ]);
  }
  return {
    actor: userActor({ id: session.user_id, username: session.username, role: session.role }),
    csrfToken: session.csrf_token,
  };
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.query('DELETE FROM sessions WHERE id = $1', [sha256(token)]);
    await recordAudit(tx, ctx.actor, {
      action: 'auth.logout',
      entityType: 'user',
      entityId: ctx.actor.userId ?? undefined,
    });
  });
}

export interface ApiTokenInfo {
  id: number;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Creates an API token scoped to a role. The token is returned once; only its hash is stored. */
export async function createApiToken(
  ctx: AppContext,
  input: { name: string; role: Role },
): Promise<ApiTokenInfo & { token: string }> {
  const token = `clt_${randomBytes(32).toString('base64url')}`;
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<ApiTokenInfo>(
      `INSERT INTO api_tokens (name, token_hash, role, user_id, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, name, role, created_by AS "createdBy", created_at AS "createdAt",
                 last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`,
      [input.name, sha256(token), input.role, ctx.actor.userId, ctx.actor.name],
    );
    const info = rows[0] as ApiTokenInfo;
    await recordAudit(tx, ctx.actor, {
      action: 'token.create',
      entityType: 'api_token',
      entityId: info.id,
      details: { name: input.name, role: input.role },
    });
    return { ...info, token };
  });
}

export async function listApiTokens(db: Queryable): Promise<ApiTokenInfo[]> {
  const { rows } = await db.query<ApiTokenInfo>(
    `SELECT id, name, role, created_by AS "createdBy", created_at AS "createdAt", last_used_at AS "lastUsedAt",
            revoked_at AS "revokedAt" FROM api_tokens ORDER BY id`,
  );
  return rows;
}

export async function revokeApiToken(ctx: AppContext, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const result = await tx.query(
      'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    if (result.rowCount === 0) {
      throw new AppError('NOT_FOUND', { zh: '令牌不存在或已吊销', en: 'No such active token' });
    }
    await recordAudit(tx, ctx.actor, { action: 'token.revoke', entityType: 'api_token', entityId: id });
  });
}

export async function authenticateApiToken(ctx: AppContext, token: string): Promise<Actor | undefined> {
  const { rows } = await ctx.db.query<{
    id: number;
    name: string;
    role: string;
    user_id: number | null;
    username: string | null;
    user_disabled: boolean | null;
    last_used_at: string | null;
  }>(
    `SELECT t.id, t.name, t.role, t.user_id, u.username, u.disabled AS user_disabled, t.last_used_at
     FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [sha256(token)],
  );
  const row = rows[0];
  if (!row || !isRole(row.role) || row.user_disabled) return undefined;
  const now = ctx.now();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await ctx.db.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [row.id, now.toISOString()]);
  }
  return {
    type: 'token',
    userId: row.user_id,
    // A token acting for a user is audited under that user's name; its type says it was a token.
    name: row.username ?? `token:${row.name}`,
    role: row.role,
    scope: roleSpecs[row.role].scope,
  };
}
