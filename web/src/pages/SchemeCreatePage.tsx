import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api';
import { type SchemeDefinition, tiersApi } from '../api-tiers';
import { RESERVED_SCHEME_IDS } from '../components/PresetModal';
import { SchemeRulesTab } from '../components/SchemeRulesTab';
import { useT } from '../i18n';
import { useNotify } from '../notify';
import { type Draft, emptyDraft, toDraft } from '../tier-draft';

/** A new scheme built in the rule editor, from scratch or from a copy of a preset. */
export function SchemeCreatePage() {
  const { t, pick } = useT();
  const navigate = useNavigate();
  const notify = useNotify();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [presets, setPresets] = useState<SchemeDefinition[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    tiersApi
      .presets(controller.signal)
      .then((answer) => setPresets(answer.items))
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) notify.error(cause, 'common.loadFailed');
      });
    return () => controller.abort();
  }, [notify]);

  const create = async (definition: SchemeDefinition) => {
    if (RESERVED_SCHEME_IDS.has(definition.id)) {
      const text = t('tiers.scheme.idReserved');
      throw new ApiError(400, 'VALIDATION_FAILED', text, [{ field: 'id', message: text }]);
    }
    return tiersApi.createScheme(definition);
  };

  return (
    <Flex vertical gap={12}>
      <div>
        <Button
          type="link"
          icon={<ArrowLeftOutlined />}
          onClick={() => navigate('/tiers')}
          style={{ paddingInline: 0 }}
        >
          {t('tiers.backToList')}
        </Button>
      </div>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('tiers.list.new')}
        </Typography.Title>
        <Flex gap={8} align="center">
          <Typography.Text type="secondary">{t('tiers.create.startFrom')}</Typography.Text>
          <Select
            allowClear
            placeholder={t('tiers.create.blank')}
            options={presets.map((preset) => ({
              value: preset.id,
              label: pick(preset.name.zh, preset.name.en),
            }))}
            onChange={(value: string | undefined) => {
              const preset = presets.find((item) => item.id === value);
              setDraft(preset ? { ...toDraft(preset), id: '' } : emptyDraft());
            }}
            style={{ minWidth: 220 }}
            data-testid="create-start-from"
          />
        </Flex>
      </Flex>
      <SchemeRulesTab
        draft={draft}
        onChange={setDraft}
        saved={null}
        version={null}
        dirty
        save={create}
        onSaved={(stored) => navigate(`/tiers/${encodeURIComponent(stored.id)}?tab=rules`, { replace: true })}
      />
    </Flex>
  );
}
