import { App, Button, Flex, Form, Result, Skeleton, Space, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../api';
import { CustomerFormSections } from '../components/CustomerFormSections';
import { FIELD_SPECS } from '../customer-fields';
import {
  type CustomerFormValues,
  createBody,
  patchBody,
  toFormValues,
  toPayload,
} from '../customer-form-values';
import { applyFieldErrors } from '../form-errors';
import { useT } from '../i18n';
import { useCustomFields, useMeta } from '../meta';
import { useNotify } from '../notify';
import type { Customer } from '../types';

/** Create (`/customers/new`) and edit (`/customers/:id/edit`) share this page. */
export function CustomerFormPage() {
  const { id } = useParams();
  const editing = id !== undefined;
  const { t, lang } = useT();
  const { modal, message } = App.useApp();
  const notify = useNotify();
  const navigate = useNavigate();
  const { meta, error: metaError } = useMeta();
  const customFields = useCustomFields();
  const [form] = Form.useForm<CustomerFormValues>();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(
    (signal?: AbortSignal) => {
      if (!id) return;
      setLoadError(null);
      api
        .getCustomer(id, signal)
        .then(setCustomer)
        .catch((cause: unknown) => {
          if (!signal?.aborted) setLoadError(cause);
        });
    },
    [id],
  );
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  // Custom-field definitions come from /api/meta; wait for them so their inputs start with the stored values.
  const ready = (meta !== null || metaError !== null) && (!editing || customer !== null);
  const initialValues = useMemo(() => toFormValues(customer, customFields), [customer, customFields]);
  useEffect(() => {
    if (ready) form.resetFields();
  }, [ready, form, initialValues]);

  const knownPaths = useMemo(
    () => new Set([...FIELD_SPECS.map((s) => s.name), ...customFields.map((d) => `custom.${d.key}`)]),
    [customFields],
  );

  const showConflict = () => {
    modal.confirm({
      title: t('form.conflictTitle'),
      content: t('form.conflictBody'),
      okText: t('form.reload'),
      cancelText: t('form.keepEditing'),
      onOk: () => load(),
    });
  };

  const submit = async (values: CustomerFormValues) => {
    const after = toPayload(values, customFields);
    setSaving(true);
    try {
      let saved: Customer;
      if (customer) {
        const before = toPayload(initialValues, customFields);
        const body = patchBody(before, after);
        if (Object.keys(body).length === 0) {
          notify.success('form.noChanges');
          navigate(`/customers/${customer.id}`, { replace: true });
          return;
        }
        saved = await api.updateCustomer(customer.id, { ...body, version: customer.version });
      } else {
        saved = await api.createCustomer(createBody(after));
      }
      notify.success(customer ? 'common.saved' : 'common.created');
      // Replace the form in history: Back from the detail page should not reopen it.
      navigate(`/customers/${saved.id}`, { replace: true });
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'VERSION_CONFLICT') {
        showConflict();
        return;
      }
      const unplaced = applyFieldErrors(form, cause, knownPaths, lang);
      const placedAll = cause instanceof ApiError && cause.fieldErrors.length > 0 && unplaced.length === 0;
      if (placedAll) void message.error(t('form.invalid'));
      else notify.error(cause);
    } finally {
      setSaving(false);
    }
  };

  if (loadError) {
    const missing = loadError instanceof ApiError && loadError.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('detail.notFound') : t('common.loadFailed')}
        extra={<Button onClick={() => navigate('/customers')}>{t('detail.backToList')}</Button>}
      />
    );
  }

  const title = editing ? t('form.editTitle') : t('form.createTitle');
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-form-title">
        {customer ? `${title} · ${customer.name}` : title}
      </Typography.Title>
      {!ready ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <Form<CustomerFormValues>
          form={form}
          layout="vertical"
          initialValues={initialValues}
          onFinish={submit}
          scrollToFirstError={{ block: 'center' }}
          data-testid="customer-form"
        >
          <Flex vertical gap={16}>
            <CustomerFormSections customFields={customFields} creating={!editing} />
            <Space>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="customer-submit">
                {editing ? t('common.save') : t('form.create')}
              </Button>
              <Button onClick={() => navigate(customer ? `/customers/${customer.id}` : '/customers')}>
                {t('common.cancel')}
              </Button>
            </Space>
          </Flex>
        </Form>
      )}
    </Flex>
  );
}
