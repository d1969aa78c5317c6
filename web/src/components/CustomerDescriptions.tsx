import { Card, Descriptions, type DescriptionsProps, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatCustomValue } from '../custom-field-values';
import { type FieldSpec, fieldLabelKey, SECTIONS } from '../customer-fields';
import { formatPhone, orDash } from '../format';
import { useT } from '../i18n';
import { useCustomFields, useEnums } from '../meta';
import { type Customer, PERSONAL_FIELDS, type PersonalField } from '../types';
import { EnumTag } from './EnumTag';
import { PersonalValue } from './PersonalValue';
import { TagList } from './TagList';

const TAGGED_ENUMS = new Set(['stage', 'status', 'creditStatus']);

function isPersonalField(name: string): name is PersonalField {
  return (PERSONAL_FIELDS as readonly string[]).includes(name);
}

/** All standard fields in the same groups as the form, then the custom fields. */
export function CustomerDescriptions({ customer }: { customer: Customer }) {
  const { t, pick } = useT();
  const enums = useEnums();
  const customFields = useCustomFields();

  const render = (spec: FieldSpec): ReactNode => {
    const value = customer[spec.name];
    const kind = spec.type;
    switch (kind.kind) {
      case 'enum':
        if (TAGGED_ENUMS.has(kind.enumName))
          return <EnumTag name={kind.enumName} value={value as string | null} />;
        return orDash(enums.label(kind.enumName, value as string | null));
      case 'boolean':
        return value ? t('common.yes') : t('common.no');
      case 'tags':
        return (customer.tags ?? []).length > 0 ? <TagList tags={customer.tags} /> : '—';
      case 'textarea':
        return (
          <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>
            {orDash(value as string | null)}
          </Typography.Text>
        );
      default:
        if (isPersonalField(spec.name)) {
          return (
            <PersonalValue
              customerId={customer.id}
              field={spec.name}
              value={customer[spec.name]}
              format={spec.name === 'phone' ? formatPhone : orDash}
            />
          );
        }
        return orDash(value as string | number | null);
    }
  };

  const yesNo: [string, string] = [t('common.yes'), t('common.no')];
  const known = new Set(customFields.map((d) => d.key));
  const customItems: DescriptionsProps['items'] = [
    ...customFields.map((def) => ({
      key: def.key,
      label: pick(def.labelZh, def.labelEn),
      children: formatCustomValue(def, customer.custom?.[def.key], pick, yesNo),
    })),
    // Values whose definition was deleted still deserve to be seen.
    ...Object.entries(customer.custom ?? {})
      .filter(([key]) => !known.has(key))
      .map(([key, value]) => ({
        key,
        label: key,
        children: formatCustomValue(undefined, value, pick, yesNo),
      })),
  ];

  return (
    <Flex vertical gap={16}>
      {SECTIONS.map((section) => (
        <Card key={section.title} title={t(section.title)} size="small">
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, lg: 3 }}
            items={section.fields.map((spec) => ({
              key: spec.name,
              label: t(fieldLabelKey(spec.name)),
              children: render(spec),
              span: spec.span === 24 ? 'filled' : 1,
            }))}
          />
        </Card>
      ))}
      {customItems.length > 0 && (
        <Card title={t('section.custom')} size="small">
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={customItems} />
        </Card>
      )}
    </Flex>
  );
}
