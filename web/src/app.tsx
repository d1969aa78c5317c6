import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AppLayout } from './components/AppLayout';
import { RequirePermission, RequireSession } from './components/Guards';
import { I18nProvider, useT } from './i18n';
import { NotFoundPage } from './pages/NotFoundPage';
import { SessionProvider } from './session';

// Pages load on demand: the form and detail pages bring heavy controls (date pickers, forms) the list does not need.
const CustomerListPage = lazy(() =>
  import('./pages/CustomerListPage').then((m) => ({ default: m.CustomerListPage })),
);
const CustomerDetailPage = lazy(() =>
  import('./pages/CustomerDetailPage').then((m) => ({ default: m.CustomerDetailPage })),
);
const CustomerFormPage = lazy(() =>
  import('./pages/CustomerFormPage').then((m) => ({ default: m.CustomerFormPage })),
);
const LoginPage = lazy(() => import('./pages/LoginPage').then((m) => ({ default: m.LoginPage })));
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })));
const UsersPage = lazy(() => import('./pages/UsersPage').then((m) => ({ default: m.UsersPage })));
const TiersPage = lazy(() => import('./pages/TiersPage').then((m) => ({ default: m.TiersPage })));
const SchemePage = lazy(() => import('./pages/SchemePage').then((m) => ({ default: m.SchemePage })));
const SchemeCreatePage = lazy(() =>
  import('./pages/SchemeCreatePage').then((m) => ({ default: m.SchemeCreatePage })),
);
const TierNoticesPage = lazy(() =>
  import('./pages/TierNoticesPage').then((m) => ({ default: m.TierNoticesPage })),
);
const ImportPage = lazy(() => import('./pages/ImportPage').then((m) => ({ default: m.ImportPage })));
const DuplicatesPage = lazy(() =>
  import('./pages/DuplicatesPage').then((m) => ({ default: m.DuplicatesPage })),
);
const QualityPage = lazy(() => import('./pages/QualityPage').then((m) => ({ default: m.QualityPage })));
const CustomerByCodePage = lazy(() =>
  import('./pages/CustomerByCodePage').then((m) => ({ default: m.CustomerByCodePage })),
);

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
        <SessionProvider>
          <Routes>
            <Route
              path="login"
              element={
                <Suspense fallback={null}>
                  <LoginPage />
                </Suspense>
              }
            />
            <Route
              element={
                <RequireSession>
                  <AppLayout />
                </RequireSession>
              }
            >
              <Route index element={<Navigate to="/customers" replace />} />
              <Route path="customers" element={<CustomerListPage />} />
              <Route
                path="customers/new"
                element={
                  <RequirePermission permission="customers.write">
                    <CustomerFormPage key="new" />
                  </RequirePermission>
                }
              />
              <Route path="customers/by-code/:code" element={<CustomerByCodePage />} />
              <Route path="customers/:id" element={<CustomerDetailPage />} />
              <Route
                path="customers/:id/edit"
                element={
                  <RequirePermission permission="customers.write">
                    <CustomerFormPage key="edit" />
                  </RequirePermission>
                }
              />
              <Route
                path="audit"
                element={
                  <RequirePermission permission="audit.read">
                    <AuditPage />
                  </RequirePermission>
                }
              />
              <Route
                path="users"
                element={
                  <RequirePermission permission="users.manage">
                    <UsersPage />
                  </RequirePermission>
                }
              />
              <Route
                path="tiers"
                element={
                  <RequirePermission permission="tiers.read">
                    <TiersPage />
                  </RequirePermission>
                }
              />
              <Route
                path="tiers/new"
                element={
                  <RequirePermission permission="tiers.manage">
                    <SchemeCreatePage />
                  </RequirePermission>
                }
              />
              <Route
                path="tiers/notices"
                element={
                  <RequirePermission permission="tiers.manage">
                    <TierNoticesPage />
                  </RequirePermission>
                }
              />
              <Route
                path="tiers/:id"
                element={
                  <RequirePermission permission="tiers.read">
                    <SchemePage />
                  </RequirePermission>
                }
              />
              <Route
                path="import"
                element={
                  <RequirePermission permission="customers.import">
                    <ImportPage />
                  </RequirePermission>
                }
              />
              <Route
                path="duplicates"
                element={
                  <RequirePermission permission="customers.read">
                    <DuplicatesPage />
                  </RequirePermission>
                }
              />
              <Route
                path="quality"
                element={
                  <RequirePermission permission="customers.read">
                    <QualityPage />
                  </RequirePermission>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
