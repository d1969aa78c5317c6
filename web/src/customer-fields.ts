import type { MessageKey } from './i18n';
import type { Customer } from './types';

/** Enumerations of docs/api.md. Labels come from /api/meta; these values keep forms usable without it. */
export const ENUM_VALUES = {
  type: ['individual', 'enterprise'],
  stage: ['potential', 'intent', 'closed', 'churned'],
  status: ['active', 'paused', 'terminated'],
  companySize: ['small', 'medium', 'large'],
  ageBand: ['under_25', '25_34', '35_44', '45_54', '55_plus'],
  gender: ['male', 'female', 'other'],
  incomeLevel: ['low', 'middle', 'high'],
  creditStatus: ['good', 'watch', 'overdue'],
  communicationChannel: ['phone', 'email', 'wechat', 'sms', 'visit', 'qq'],
} as const;

export type EnumName = keyof typeof ENUM_VALUES;

export type FieldKind =
  | { kind: 'text' }
  | { kind: 'textarea' }
  | { kind: 'enum'; enumName: EnumName }
  /** Free text with suggestions from /api/meta. */
  | { kind: 'suggest'; list: 'industry' | 'source' }
  | { kind: 'date' }
  | { kind: 'year' }
  | { kind: 'boolean' }
  | { kind: 'tags' }
  /** A username: picked from the users when the viewer may list them, typed otherwise. */
  | { kind: 'owner' };

export type EditableField = Exclude<
  keyof Customer,
  | 'id'
  | 'ownerId'
  | 'custom'
  | 'contacts'
  | 'totalSpent'
  | 'orderCount'
  | 'averageOrderValue'
  | 'firstPurchaseOn'
  | 'lastPurchaseOn'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
>;

export interface FieldSpec {
  name: EditableField;
  type: FieldKind;
  required?: boolean;
  /** Grid columns out of 24 on wide screens. */
  span?: number;
}

export interface FieldSection {
  title: MessageKey;
  fields: FieldSpec[];
}

const text: FieldKind = { kind: 'text' };
const area: FieldKind = { kind: 'textarea' };
const date: FieldKind = { kind: 'date' };
const en = (enumName: EnumName): FieldKind => ({ kind: 'enum', enumName });

/** Every standard field, grouped the same way on the form and the detail page. */
export const SECTIONS: FieldSection[] = [
  {
    title: 'section.identity',
    fields: [
      { name: 'name', type: text, required: true },
      { name: 'code', type: text },
      { name: 'type', type: en('type') },
      { name: 'company', type: text },
      { name: 'stage', type: en('stage') },
      { name: 'status', type: en('status') },
      { name: 'vip', type: { kind: 'boolean' } },
      { name: 'owner', type: { kind: 'owner' } },
      { name: 'tags', type: { kind: 'tags' }, span: 24 },
    ],
  },
  {
    title: 'section.contact',
    fields: [
      { name: 'phone', type: text },
      { name: 'email', type: text },
      { name: 'wechat', type: text },
      { name: 'qq', type: text },
      { name: 'province', type: text },
      { name: 'city', type: text },
      { name: 'address', type: text, span: 24 },
    ],
  },
  {
    title: 'section.profile',
    fields: [
      { name: 'gender', type: en('gender') },
      { name: 'birthYear', type: { kind: 'year' } },
      { name: 'ageBand', type: en('ageBand') },
      { name: 'occupation', type: text },
      { name: 'incomeLevel', type: en('incomeLevel') },
    ],
  },
  {
    title: 'section.business',
    fields: [
      { name: 'industry', type: { kind: 'suggest', list: 'industry' } },
      { name: 'source', type: { kind: 'suggest', list: 'source' } },
      { name: 'companySize', type: en('companySize') },
      { name: 'firstContactOn', type: date },
      { name: 'cooperationStartOn', type: date },
      { name: 'paymentMethod', type: text },
      { name: 'creditStatus', type: en('creditStatus') },
    ],
  },
  {
    title: 'section.needs',
    fields: [
      { name: 'communicationChannel', type: en('communicationChannel') },
      { name: 'communicationTime', type: text },
      { name: 'needs', type: area, span: 24 },
      { name: 'purchasePreferences', type: area, span: 24 },
      { name: 'interests', type: area, span: 24 },
      { name: 'serviceExpectations', type: area, span: 24 },
      { name: 'notes', type: area, span: 24 },
    ],
  },
];

export const FIELD_SPECS: FieldSpec[] = SECTIONS.flatMap((section) => section.fields);

export type LabelledField =
  | EditableField
  | 'totalSpent'
  | 'orderCount'
  | 'averageOrderValue'
  | 'firstPurchaseOn'
  | 'lastPurchaseOn'
  | 'createdAt'
  | 'updatedAt';

export function fieldLabelKey(name: LabelledField): MessageKey {
  return `field.${name}`;
}
