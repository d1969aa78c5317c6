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
  ownerId?: string | null;
  custom?: Record<string, CustomValue>;
}

export interface Customer extends Required<Omit<CustomerInput, 'name' | 'code'>> {
  id: number;
  code: string;
  name: string;
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
