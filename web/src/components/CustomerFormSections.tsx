import { Card, Col, Form, Row } from 'antd';
import type { ReactNode } from 'react';
import { fieldLabelKey, SECTIONS } from '../customer-fields';
import { useT } from '../i18n';
import type { CustomFieldDef } from '../types';
import { CustomerFieldInput } from './CustomerFieldInput';
import { CustomFieldInput } from './CustomFieldInput';

interface Props {
  customFields: CustomFieldDef[];
  /** True when creating: the code may be left empty for the numbering rule. */
  creating: boolean;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card title={title} size="small">
      <Row gutter={16}>{children}</Row>
    </Card>
  );
}

export function CustomerFormSections({ customFields, creating }: Props) {
  const { t, pick } = useT();
  return (
    <>
      {SECTIONS.map((section) => (
        <Section key={section.title} title={t(section.title)}>
          {section.fields.map((spec) => {
            const label = t(fieldLabelKey(spec.name));
            return (
              <Col key={spec.name} xs={24} md={spec.span ?? 12} xl={spec.span ?? 8}>
                <Form.Item
                  name={spec.name}
                  label={label}
                  extra={spec.name === 'code' && creating ? t('form.codeHint') : undefined}
                  rules={
                    spec.required
                      ? [{ required: true, whitespace: true, message: t('form.required', { label }) }]
                      : []
                  }
                >
                  <CustomerFieldInput spec={spec} />
                </Form.Item>
              </Col>
            );
          })}
        </Section>
      ))}
      {customFields.length > 0 && (
        <Section title={t('section.custom')}>
          {customFields.map((def) => {
            const label = pick(def.labelZh, def.labelEn);
            return (
              <Col key={def.key} xs={24} md={12} xl={8}>
                <Form.Item
                  name={['custom', def.key]}
                  label={label}
                  rules={def.required ? [{ required: true, message: t('form.required', { label }) }] : []}
                >
                  <CustomFieldInput def={def} />
                </Form.Item>
              </Col>
            );
          })}
        </Section>
      )}
    </>
  );
}
