import { prerenderToNodeStream } from 'react-dom/static';
import { App as AntApp, ConfigProvider, Form } from 'antd';
import { StaticRouter } from 'react-router';
import { App } from './app';
import { I18nProvider } from './i18n';
import { MetaProvider } from './meta';
import { CustomerHeader } from './components/CustomerHeader';
import { CustomerDescriptions } from './components/CustomerDescriptions';
import { CustomerStats } from './components/CustomerStats';
import { ContactsCard } from './components/ContactsCard';
import { CustomerFormSections } from './components/CustomerFormSections';
import { EmptyCustomers } from './components/EmptyCustomers';
import { CursorPager } from './components/CursorPager';
import type { Customer } from './types';
import type { ReactNode } from 'react';

(globalThis as any).fetch = async () => new Response('{}', { status: 200 });

async function html(node: ReactNode): Promise<string> {
  const { prelude } = await prerenderToNodeStream(node);
  let s = '';
  for await (const c of prelude) s += c;
  return s;
}
const testids = (s: string) => [...new Set([...s.matchAll(/data-testid="([^"]+)"/g)].map((m) => m[1]))];

const customer = {
  id: 'c1', code: 'KH202500001', name: '张三', type: 'individual', stage: 'intent', status: 'active', vip: true,
  tags: ['重要', 'VIP'], totalSpent: '1234.50', orderCount: 3, averageOrderValue: '411.50', lastPurchaseOn: '2025-01-02',
  createdAt: '2025-01-01T10:00:00Z', updatedAt: '2025-01-02T10:00:00Z', version: 3, custom: { level: 'gold', orphan: 5 },
  contacts: [{ id: 'p1', customerId: 'c1', name: '李四', title: '经理', phone: '138', email: null, wechat: null, qq: null, address: null, isPrimary: true, notes: null, createdAt: '', updatedAt: '' }],
  needs: '多行\n需求',
} as unknown as Customer;

function Wrap({ children }: { children: ReactNode }) {
  return (
    <StaticRouter location="/customers/c1">
      <I18nProvider><ConfigProvider><AntApp><MetaProvider>{children}</MetaProvider></AntApp></ConfigProvider></I18nProvider>
    </StaticRouter>
  );
}

for (const url of ['/customers', '/customers/new', '/customers/c1', '/nope']) {
  const s = await html(<StaticRouter location={url}><App /></StaticRouter>);
  console.log(url, s.length, testids(s));
}
const detail = await html(<Wrap><CustomerHeader customer={customer} /><CustomerStats customer={customer} /><CustomerDescriptions customer={customer} /><ContactsCard customerId="c1" contacts={customer.contacts ?? []} onChanged={() => {}} /></Wrap>);
console.log('detail', testids(detail));
console.log(detail.includes('张三'), detail.includes('李四'), detail.includes('1,234.50'), detail.includes('orphan'));
function FormWrap() { const [form] = Form.useForm(); return <Form form={form}><CustomerFormSections customFields={[{ key: 'level', type: 'single_select', labelZh: '等级', labelEn: 'Level', options: [{ value: 'gold', labelZh: '金', labelEn: 'Gold' }], required: true, position: 1 }, { key: 'flag', type: 'boolean', labelZh: '标记', labelEn: 'Flag', required: false, position: 2 }]} creating /></Form>; }
const form = await html(<Wrap><FormWrap /></Wrap>);
console.log('form', testids(form));
const empty = await html(<Wrap><EmptyCustomers filtered={false} onClear={() => {}} /><CursorPager page={2} total={99} limit={50} hasNext loading={false} onPrev={() => {}} onNext={() => {}} onLimitChange={() => {}} /></Wrap>);
console.log('empty', testids(empty), empty.includes('npx clientele demo'), empty.match(/运行[^<]*/)?.[0]);
const list = await html(<StaticRouter location="/customers?type=individual&tag=a&search=zs&sort=-totalSpent"><App /></StaticRouter>);
for (const id of ['customer-search', 'customer-table', 'lang-switch', 'filter-type', 'page-size', 'page-next', 'customer-new']) {
  const i = list.indexOf(`data-testid="${id}"`);
  const start = list.lastIndexOf('<', i);
  console.log(id, list.slice(start, i + 40).slice(0, 200));
}
console.log(list.includes('value="zs"'));
