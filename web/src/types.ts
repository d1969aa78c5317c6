/** Shapes of the HTTP API (docs/api.md). Dates are `YYYY-MM-DD`, money and quantities decimal strings. */

export type CustomValue = string | number | boolean | string[] | null;

export interface CustomerInput {
  code?: string | null;
  name?: string;
  type?: string | null;
  company?: string | null;
  stage?: string | null;
  status?: string | null;
  vip?: boolean | null;
  industry?: string | null;
  source?: string | null;
  companySize?: string | null;
  province?: string | null;
  city?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  wechat?: string | null;
  qq?: string | null;
  birthYear?: number | null;
  ageBand?: string | null;
  gender?: string | null;
  occupation?: string | null;
  incomeLevel?: string | null;
  firstContactOn?: string | null;
  cooperationStartOn?: string | null;
  paymentMethod?: string | null;
  creditStatus?: string | null;
  needs?: string | null;
  purchasePreferences?: string | null;
  communicationChannel?: string | null;
  communicationTime?: string | null;
  interests?: string | null;
  serviceExpectations?: string | null;
  notes?: string | null;
  tags?: string[];
  /** Username of the owner; null clears it. */
  owner?: string | null;
  custom?: Record<string, CustomValue>;
}

export interface Customer extends Required<Omit<CustomerInput, 'name' | 'code'>> {
  id: number;
  code: string;
  name: string;
  ownerId: number | null;
  totalSpent: string;
  orderCount: number;
  averageOrderValue: string | null;
  firstPurchaseOn: string | null;
  lastPurchaseOn: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Contact {
  id: number;
  customerId: number;
  name: string;
  title: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  qq: string | null;
  address: string | null;
  isPrimary: boolean;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

export type ContactInput = Partial<Omit<Contact, 'id' | 'customerId' | 'createdAt' | 'updatedAt'>>;

export interface Transaction {
  id: number;
  customerId: number;
  occurredOn: string;
  product: string | null;
  category: string | null;
  quantity: string;
  amount: string;
  cost: string | null;
  channel: string | null;
  externalRef: string | null;
  notes: string | null;
  createdAt: string;
}

export type TransactionInput = Partial<Omit<Transaction, 'id' | 'customerId' | 'createdAt' | 'quantity'>> & {
  quantity?: string;
};

export interface Page<T> {
  items: T[];
  total?: number;
  nextCursor: string | null;
}

export interface EnumOption {
  value: string;
  zh: string;
  en: string;
}

export type CustomFieldType = 'text' | 'number' | 'date' | 'single_select' | 'multi_select' | 'boolean';

export interface CustomFieldOption {
  value: string;
  labelZh: string;
  labelEn: string;
}

export interface CustomFieldDef {
  key: string;
  type: CustomFieldType;
  labelZh: string;
  labelEn: string;
  options?: CustomFieldOption[] | null;
  required: boolean;
  position: number;
}

export interface Meta {
  enums: Record<string, EnumOption[]>;
  /** Common values offered while typing; any other value is allowed too. */
  suggestions: { industry: string[]; source: string[] };
  customFields: CustomFieldDef[];
}

export interface FieldError {
  field: string;
  message: string;
}

/** Personal fields that arrive masked (`138****5678`) for users without `personal.view`. */
export const PERSONAL_FIELDS = ['phone', 'email', 'wechat', 'qq', 'address'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

export const ROLES = ['admin', 'manager', 'sales', 'service', 'marketing', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export type Scope = 'own' | 'team' | 'all';

export type Permission =
  | 'customers.read'
  | 'customers.write'
  | 'customers.delete'
  | 'customers.export'
  | 'customers.import'
  | 'customers.transfer'
  | 'personal.view'
  | 'consent.manage'
  | 'subject-requests.run'
  | 'custom-fields.manage'
  | 'settings.manage'
  | 'users.manage'
  | 'audit.read'
  | 'tokens.manage'
  | 'demo.load'
  | 'tiers.read'
  | 'tiers.manage'
  | 'tiers.override';

/** `GET /api/auth/me` and the answer to a login. */
export interface SessionUser {
  username: string;
  type: string;
  role: Role;
  scope: Scope;
  permissions: Permission[];
  csrfToken: string | null;
}

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

export interface UserInput {
  username: string;
  role: Role;
  team?: string;
  displayName?: string;
  password: string;
}

export interface Team {
  id: number;
  name: string;
  parentId: number | null;
  parent: string | null;
  managerId: number | null;
  manager: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorType: string;
  actor: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  customerId: number | null;
  details: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBeforeId: number | null;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  firstBadId: number | null;
  problem: string | null;
}

/** `GET /api/customers/:id/transfers`: one change of owner. */
export interface OwnershipTransfer {
  at: string;
  from: string | null;
  to: string | null;
  actor: string;
  reason: string | null;
}

export type CollaboratorAccess = 'read' | 'write';

export interface Collaborator {
  userId: number;
  username: string;
  access: CollaboratorAccess;
  /** Last day of access (`YYYY-MM-DD`); null = no end. */
  until: string | null;
}

export interface CollaboratorInput {
  access: CollaboratorAccess;
  until: string | null;
}

export const CONSENT_PURPOSES = ['marketing', 'service', 'analytics', 'third_party'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** A consent record (PIPL); a withdrawn one stays listed with its date. */
export interface Consent {
  id: number;
  customerId: number;
  purpose: ConsentPurpose;
  scope: string | null;
  channel: string | null;
  grantedAt: string;
  withdrawnAt: string | null;
  recordedBy: string;
}

export interface ConsentInput {
  purpose: ConsentPurpose;
  scope?: string;
  channel?: string;
}
