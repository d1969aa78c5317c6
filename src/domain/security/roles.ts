/**
 * Roles, their permissions and their data scope (本人 own / 本部门 team / 全部 all).
 * Every route declares one permission from this list; the scope decides which customers a
 * permission applies to.
 */
export const roles = ['admin', 'manager', 'sales', 'service', 'marketing', 'analyst'] as const;
export type Role = (typeof roles)[number];

export const dataScopes = ['own', 'team', 'all'] as const;
export type DataScope = (typeof dataScopes)[number];

export const permissions = [
  'customers.read',
  'customers.write',
  'customers.delete',
  'customers.export',
  'customers.import',
  'customers.transfer',
  'personal.view',
  'consent.manage',
  'subject-requests.run',
  'custom-fields.manage',
  'settings.manage',
  'users.manage',
  'audit.read',
  'tokens.manage',
  'demo.load',
  'tiers.read',
  'tiers.manage',
  'tiers.override',
] as const;
export type Permission = (typeof permissions)[number];

/** `public` routes need no login (health, login itself); `authenticated` any logged-in user. */
export type RoutePermission = Permission | 'public' | 'authenticated';

interface RoleSpec {
  zh: string;
  en: string;
  scope: DataScope;
  permissions: readonly Permission[];
}

const READ: Permission[] = ['customers.read', 'tiers.read'];
const WORK: Permission[] = [...READ, 'customers.write', 'personal.view', 'consent.manage'];

export const roleSpecs: Record<Role, RoleSpec> = {
  admin: { zh: '管理员', en: 'Administrator', scope: 'all', permissions },
  manager: {
    zh: '经理',
    en: 'Manager',
    scope: 'team',
    permissions: [
      ...WORK,
      'customers.delete',
      'customers.export',
      'customers.import',
      'customers.transfer',
      'subject-requests.run',
      'audit.read',
      'tiers.override',
    ],
  },
  sales: {
    zh: '销售',
    en: 'Sales',
    scope: 'own',
    permissions: [...WORK, 'customers.import', 'customers.export'],
  },
  service: { zh: '客服', en: 'Service', scope: 'team', permissions: WORK },
  marketing: { zh: '市场', en: 'Marketing', scope: 'all', permissions: [...READ, 'customers.export'] },
  analyst: { zh: '分析师', en: 'Analyst', scope: 'all', permissions: READ },
};

export function can(role: Role, permission: Permission): boolean {
  return roleSpecs[role].permissions.includes(permission);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
