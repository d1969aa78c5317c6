import os from 'node:os';
import type { DataScope, Permission, Role } from '../../domain/security/roles.js';
import { can, roleSpecs } from '../../domain/security/roles.js';

/** Who is acting: a logged-in user, an API token, the operator's CLI, or the system itself. */
export interface Actor {
  type: 'user' | 'token' | 'cli' | 'system';
  /** Users and tokens act for a user id (a token may have none). */
  userId: number | null;
  /** Name written to the audit trail: username, token name, or the operating-system user. */
  name: string;
  role: Role;
  scope: DataScope;
}

export function actorCan(actor: Actor, permission: Permission): boolean {
  return can(actor.role, permission);
}

/** The CLI is the operator's tool: full rights on the local database, audited as the OS user. */
export function cliActor(): Actor {
  let name = 'unknown';
  try {
    name = os.userInfo().username;
  } catch {
    name = process.env.USER ?? 'unknown';
  }
  return { type: 'cli', userId: null, name: `os:${name}`, role: 'admin', scope: 'all' };
}

export const systemActor: Actor = {
  type: 'system',
  userId: null,
  name: 'system',
  role: 'admin',
  scope: 'all',
};

export function userActor(user: { id: number; username: string; role: Role }): Actor {
  return {
    type: 'user',
    userId: user.id,
    name: user.username,
    role: user.role,
    scope: roleSpecs[user.role].scope,
  };
}

/** Before login: may reach only public routes, has no permission at all. */
export const anonymousActor: Actor = {
  type: 'system',
  userId: null,
  name: 'anonymous',
  role: 'analyst',
  scope: 'own',
};
