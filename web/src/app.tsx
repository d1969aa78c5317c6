import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AppLayout } from './components/AppLayout';
import { I18nProvider, useT } from './i18n';
import { MetaProvider } from './meta';
import { CustomerDetailPage } from './pages/CustomerDetailPage';
import { CustomerFormPage } from './pages/CustomerFormPage';
import { CustomerListPage } from './pages/CustomerListPage';
import { NotFoundPage } from './pages/NotFoundPage';

export function App() {
  return (
    <I18nProvider>
      <LocalizedApp />
    </I18nProvider>
  );
}

function LocalizedApp() {
  const { lang, t } = useT();
  // dayjs keeps its locale globally; set it before the date pickers below render.
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);

  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS}>
      <AntApp>
        <MetaProvider>
          <Routes>
            <Route element={<AppLayout />}>
              <Route index element={<Navigate to="/customers" replace />} />
              <Route path="customers" element={<CustomerListPage />} />
              <Route path="customers/new" element={<CustomerFormPage key="new" />} />
              <Route path="customers/:id" element={<CustomerDetailPage />} />
              <Route path="customers/:id/edit" element={<CustomerFormPage key="edit" />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </MetaProvider>
      </AntApp>
    </ConfigProvider>
  );
}
