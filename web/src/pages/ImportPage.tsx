import { Card, Flex, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ImportHistory } from '../components/ImportHistory';
import { ImportWizard } from '../components/ImportWizard';
import { useT } from '../i18n';

type Tab = 'wizard' | 'history';

/** 导入 / Import: the import wizard and the import history (`?tab=history`). */
export function ImportPage() {
  const { t } = useT();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'history' ? 'history' : 'wizard';
  // Bumped after a commit or an undo: the history lists it when next shown.
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((n) => n + 1);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('imports.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('imports.intro')}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'history' ? { tab: 'history' } : {}, { replace: true })}
        items={[
          {
            key: 'wizard',
            label: <span data-testid="import-tab-wizard">{t('imports.tab.wizard')}</span>,
            // Kept mounted: the wizard's file and choices survive a look at the history.
            forceRender: true,
            children: (
              <Card>
                <ImportWizard onChanged={changed} />
              </Card>
            ),
          },
          {
            key: 'history',
            label: <span data-testid="import-tab-history">{t('imports.tab.history')}</span>,
            children: <ImportHistory reloadKey={changes} onChanged={changed} />,
          },
        ]}
      />
    </Flex>
  );
}
