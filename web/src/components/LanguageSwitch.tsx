import { Segmented } from 'antd';
import { type Lang, useT } from '../i18n';

/** Each language is named in itself, so the switch reads the same in both. */
const OPTIONS: { value: Lang; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

export function LanguageSwitch() {
  const { lang, setLang, t } = useT();
  return (
    <Segmented<Lang>
      data-testid="lang-switch"
      aria-label={t('lang.label')}
      options={OPTIONS}
      value={lang}
      onChange={setLang}
    />
  );
}
