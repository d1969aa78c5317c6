import {
  createContext,
  createElement,
  type ReactNode,
  useCallback,
  useContext,
  useMemo,
  useState,
} from 'react';
import { dataMessages } from './i18n-data';
import { importMessages } from './i18n-imports';
import { tierMessages } from './i18n-tiers';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Both languages sit side by side, so a text cannot exist in one language only. */
type Entry = Record<Lang, string>;

const messages = {
  'app.title': { 'zh-CN': 'Clientele 客户管理', en: 'Clientele Customer Management' },
  'nav.customers': { 'zh-CN': '客户', en: 'Customers' },
  'nav.audit': { 'zh-CN': '审计日志', en: 'Audit log' },
  'nav.users': { 'zh-CN': '用户', en: 'Users' },
  'lang.label': { 'zh-CN': '语言', en: 'Language' },

  'common.save': { 'zh-CN': '保存', en: 'Save' },
  'common.cancel': { 'zh-CN': '取消', en: 'Cancel' },
  'common.edit': { 'zh-CN': '编辑', en: 'Edit' },
  'common.delete': { 'zh-CN': '删除', en: 'Delete' },
  'common.actions': { 'zh-CN': '操作', en: 'Actions' },
  'common.yes': { 'zh-CN': '是', en: 'Yes' },
  'common.no': { 'zh-CN': '否', en: 'No' },
  'common.back': { 'zh-CN': '返回', en: 'Back' },
  'common.retry': { 'zh-CN': '重试', en: 'Retry' },
  'common.saved': { 'zh-CN': '已保存', en: 'Saved' },
  'common.created': { 'zh-CN': '已创建', en: 'Created' },
  'common.deleted': { 'zh-CN': '已删除', en: 'Deleted' },
  'common.loadFailed': { 'zh-CN': '加载失败', en: 'Failed to load' },
  'common.failed': { 'zh-CN': '操作失败', en: 'The operation failed' },
  'common.loadMore': { 'zh-CN': '加载更多', en: 'Load more' },
  'common.search': { 'zh-CN': '查询', en: 'Search' },
  'common.reset': { 'zh-CN': '重置', en: 'Reset' },
  'common.forbidden': { 'zh-CN': '没有访问此页面的权限', en: 'You do not have access to this page' },

  'role.admin': { 'zh-CN': '管理员', en: 'Administrator' },
  'role.manager': { 'zh-CN': '经理', en: 'Manager' },
  'role.sales': { 'zh-CN': '销售', en: 'Sales' },
  'role.service': { 'zh-CN': '客服', en: 'Service' },
  'role.marketing': { 'zh-CN': '市场', en: 'Marketing' },
  'role.analyst': { 'zh-CN': '分析师', en: 'Analyst' },
  'scope.own': { 'zh-CN': '本人', en: 'Own' },
  'scope.team': { 'zh-CN': '本部门', en: 'Team' },
  'scope.all': { 'zh-CN': '全部', en: 'All' },

  'account.menu': { 'zh-CN': '账户菜单', en: 'Account menu' },
  'account.scope': { 'zh-CN': '数据范围：{scope}', en: 'Data scope: {scope}' },
  'account.logout': { 'zh-CN': '退出登录', en: 'Log out' },

  'login.title': { 'zh-CN': '登录', en: 'Log in' },
  'login.username': { 'zh-CN': '用户名', en: 'Username' },
  'login.password': { 'zh-CN': '密码', en: 'Password' },
  'login.submit': { 'zh-CN': '登录', en: 'Log in' },
  'login.usernameRequired': { 'zh-CN': '请输入用户名', en: 'Enter your username' },
  'login.passwordRequired': { 'zh-CN': '请输入密码', en: 'Enter your password' },
  'login.failed': { 'zh-CN': '登录失败', en: 'Login failed' },
  'login.wrongCredentials': { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  'login.locked': { 'zh-CN': '账号已锁定', en: 'Account locked' },
  'login.rateLimited': { 'zh-CN': '尝试次数过多', en: 'Too many attempts' },
  'login.expired': { 'zh-CN': '登录已失效，请重新登录', en: 'Your session has ended: please log in again' },
  'login.loggedOut': { 'zh-CN': '已退出登录', en: 'You have logged out' },
  'session.checking': { 'zh-CN': '正在确认登录状态…', en: 'Checking your session…' },
  'session.error': { 'zh-CN': '无法确认登录状态', en: 'Could not check your session' },

  'reveal.show': { 'zh-CN': '显示', en: 'Reveal' },
  'reveal.tooltip': {
    'zh-CN': '查看完整信息（此操作会记入审计日志）',
    en: 'Show the full value (this is recorded in the audit log)',
  },
  'reveal.unavailable': {
    'zh-CN': '暂不支持查看完整信息',
    en: 'Showing full values is not available yet',
  },

  'audit.title': { 'zh-CN': '审计日志', en: 'Audit log' },
  'audit.action': { 'zh-CN': '操作', en: 'Action' },
  'audit.actionHint': {
    'zh-CN': '操作前缀，如 customer. 或 auth.login',
    en: 'Action prefix, e.g. customer. or auth.login',
  },
  'audit.actor': { 'zh-CN': '操作人', en: 'Actor' },
  'audit.customerId': { 'zh-CN': '客户 ID', en: 'Customer ID' },
  'audit.time': { 'zh-CN': '时间', en: 'Time' },
  'audit.entity': { 'zh-CN': '对象', en: 'Entity' },
  'audit.customer': { 'zh-CN': '客户', en: 'Customer' },
  'audit.details': { 'zh-CN': '详情', en: 'Details' },
  'audit.empty': { 'zh-CN': '没有符合条件的审计记录', en: 'No audit entries match' },
  'audit.shown': { 'zh-CN': '已显示 {shown} 条', en: '{shown} shown' },
  'audit.verify': { 'zh-CN': '校验哈希链', en: 'Verify chain' },
  'audit.verifyOk': {
    'zh-CN': '哈希链完整：全部 {entries} 条记录校验通过',
    en: 'The chain is intact: all {entries} entries verified',
  },
  'audit.verifyBad': {
    'zh-CN': '哈希链异常：从第 {id} 条记录起校验失败',
    en: 'The chain is broken: verification fails from entry #{id}',
  },
  'audit.verifyBadNoId': { 'zh-CN': '哈希链异常', en: 'The chain is broken' },
  'audit.viewForCustomer': { 'zh-CN': '审计记录', en: 'Audit trail' },
  'actorType.user': { 'zh-CN': '用户', en: 'User' },
  'actorType.token': { 'zh-CN': 'API 令牌', en: 'API token' },
  'actorType.cli': { 'zh-CN': '命令行', en: 'CLI' },
  'actorType.system': { 'zh-CN': '系统', en: 'System' },

  'users.title': { 'zh-CN': '用户', en: 'Users' },
  'users.add': { 'zh-CN': '添加用户', en: 'Add user' },
  'users.username': { 'zh-CN': '用户名', en: 'Username' },
  'users.usernameInvalid': {
    'zh-CN': '用户名只能含字母、数字和 _ . @ -，且以字母或数字开头',
    en: 'Letters, digits and _ . @ - only, starting with a letter or digit',
  },
  'users.displayName': { 'zh-CN': '显示名称', en: 'Display name' },
  'users.role': { 'zh-CN': '角色', en: 'Role' },
  'users.team': { 'zh-CN': '部门', en: 'Team' },
  'users.password': { 'zh-CN': '初始密码', en: 'Initial password' },
  'users.passwordHint': { 'zh-CN': '至少 10 个字符', en: 'At least 10 characters' },
  'users.status': { 'zh-CN': '状态', en: 'Status' },
  'users.active': { 'zh-CN': '正常', en: 'Active' },
  'users.disabled': { 'zh-CN': '已停用', en: 'Disabled' },
  'users.empty': { 'zh-CN': '暂无用户', en: 'No users' },
  'teams.title': { 'zh-CN': '部门', en: 'Teams' },
  'teams.name': { 'zh-CN': '名称', en: 'Name' },
  'teams.parent': { 'zh-CN': '上级部门', en: 'Parent team' },
  'teams.manager': { 'zh-CN': '部门负责人', en: 'Manager' },
  'teams.empty': { 'zh-CN': '暂无部门', en: 'No teams' },

  'list.new': { 'zh-CN': '新建客户', en: 'New customer' },
  'list.search': { 'zh-CN': '搜索名称、公司、电话、拼音…', en: 'Search name, company, phone, pinyin…' },
  'list.total': { 'zh-CN': '共 {total} 位客户', en: '{total} customers' },
  'list.totalAtLeast': { 'zh-CN': '共 {total}+ 位客户', en: '{total}+ customers' },
  'list.countExactly': { 'zh-CN': '精确计数', en: 'Count exactly' },
  'list.countExactlyHint': {
    'zh-CN': '超过 {total} 位时只计到 {total}；精确计数在客户很多时可能要等几秒',
    en: 'Counting stops at {total}; an exact count can take a few seconds when there are many customers',
  },
  'list.prev': { 'zh-CN': '上一页', en: 'Previous' },
  'list.next': { 'zh-CN': '下一页', en: 'Next' },
  'list.pageSize': { 'zh-CN': '{size} 条/页', en: '{size} / page' },
  'list.pageNo': { 'zh-CN': '第 {page} 页', en: 'Page {page}' },
  'list.clearFilters': { 'zh-CN': '清除筛选', en: 'Clear filters' },
  'list.filterTagHint': { 'zh-CN': '输入标签后回车', en: 'Type a tag, press Enter' },
  'list.emptyTitle': { 'zh-CN': '还没有客户', en: 'No customers yet' },
  'list.emptyHint': {
    'zh-CN': '点击下方按钮（或在终端运行 {cmd}）载入演示数据，或新建客户。',
    en: 'Load demo data with the button below (or run {cmd} in a terminal), or create a customer.',
  },
  'list.loadDemo': { 'zh-CN': '载入演示数据', en: 'Load demo data' },
  'list.demoLoaded': { 'zh-CN': '演示数据已载入', en: 'Demo data loaded' },
  'list.emptyHintCreate': {
    'zh-CN': '点击下方按钮新建客户。',
    en: 'Create a customer with the button below.',
  },
  'list.emptyHintReadOnly': {
    'zh-CN': '目前没有您可以查看的客户。',
    en: 'There are no customers you can see yet.',
  },
  'list.noMatch': { 'zh-CN': '没有符合条件的客户', en: 'No customers match the search and filters' },

  'section.identity': { 'zh-CN': '基本信息', en: 'Identity' },
  'section.contact': { 'zh-CN': '联系方式', en: 'Contact' },
  'section.profile': { 'zh-CN': 'B2C 画像', en: 'B2C profile' },
  'section.business': { 'zh-CN': '业务', en: 'Business' },
  'section.needs': { 'zh-CN': '需求与偏好', en: 'Needs & preferences' },
  'section.custom': { 'zh-CN': '自定义字段', en: 'Custom fields' },

  'detail.deleteTitle': { 'zh-CN': '删除客户“{name}”？', en: 'Delete customer “{name}”?' },
  'detail.deleteBody': {
    'zh-CN': '该客户的联系人和交易记录将一并删除，且无法恢复。',
    en: 'Its contacts and transactions are deleted too. This cannot be undone.',
  },
  'detail.notFound': { 'zh-CN': '客户不存在或已被删除', en: 'This customer does not exist or was deleted' },
  'detail.backToList': { 'zh-CN': '返回客户列表', en: 'Back to customers' },

  'contacts.title': { 'zh-CN': '联系人', en: 'Contacts' },
  'contacts.add': { 'zh-CN': '添加联系人', en: 'Add contact' },
  'contacts.edit': { 'zh-CN': '编辑联系人', en: 'Edit contact' },
  'contacts.deleteConfirm': { 'zh-CN': '删除联系人“{name}”？', en: 'Delete contact “{name}”?' },
  'contacts.empty': { 'zh-CN': '暂无联系人', en: 'No contacts' },
  'contact.name': { 'zh-CN': '姓名', en: 'Name' },
  'contact.title': { 'zh-CN': '职务', en: 'Title' },
  'contact.phone': { 'zh-CN': '电话', en: 'Phone' },
  'contact.email': { 'zh-CN': '邮箱', en: 'Email' },
  'contact.wechat': { 'zh-CN': '微信', en: 'WeChat' },
  'contact.qq': { 'zh-CN': 'QQ', en: 'QQ' },
  'contact.address': { 'zh-CN': '地址', en: 'Address' },
  'contact.isPrimary': { 'zh-CN': '主要联系人', en: 'Primary contact' },
  'contact.notes': { 'zh-CN': '备注', en: 'Notes' },

  'owner.title': { 'zh-CN': '负责人与协作人', en: 'Owner & collaborators' },
  'owner.current': { 'zh-CN': '当前负责人：', en: 'Current owner: ' },
  'owner.none': { 'zh-CN': '未分配', en: 'Unassigned' },
  'owner.history': { 'zh-CN': '负责人变更记录', en: 'Ownership history' },
  'owner.historyEmpty': { 'zh-CN': '暂无变更记录', en: 'No changes yet' },
  'owner.at': { 'zh-CN': '时间', en: 'Time' },
  'owner.change': { 'zh-CN': '变更', en: 'Change' },
  'owner.actor': { 'zh-CN': '操作人', en: 'By' },
  'owner.reason': { 'zh-CN': '原因', en: 'Reason' },
  'transfer.open': { 'zh-CN': '转移', en: 'Transfer' },
  'transfer.title': { 'zh-CN': '转移客户', en: 'Transfer customer' },
  'transfer.to': { 'zh-CN': '新负责人', en: 'New owner' },
  'transfer.reason': { 'zh-CN': '转移原因', en: 'Reason' },
  'transfer.done': { 'zh-CN': '客户已转移', en: 'Customer transferred' },
  'collab.title': { 'zh-CN': '协作人', en: 'Collaborators' },
  'collab.add': { 'zh-CN': '添加协作人', en: 'Add collaborator' },
  'collab.edit': { 'zh-CN': '修改协作人', en: 'Change collaborator' },
  'collab.username': { 'zh-CN': '用户名', en: 'Username' },
  'collab.access': { 'zh-CN': '权限', en: 'Access' },
  'collab.access.read': { 'zh-CN': '只读', en: 'Read' },
  'collab.access.write': { 'zh-CN': '可编辑', en: 'Write' },
  'collab.until': { 'zh-CN': '有效期至', en: 'Until' },
  'collab.untilHint': { 'zh-CN': '留空则长期有效', en: 'Leave empty for no end date' },
  'collab.noEnd': { 'zh-CN': '长期', en: 'No end' },
  'collab.empty': { 'zh-CN': '暂无协作人', en: 'No collaborators' },
  'collab.removeConfirm': { 'zh-CN': '移除协作人“{name}”？', en: 'Remove collaborator “{name}”?' },
  'collab.remove': { 'zh-CN': '移除', en: 'Remove' },
  'collab.removed': { 'zh-CN': '已移除', en: 'Removed' },

  'consents.title': { 'zh-CN': '授权同意', en: 'Consents' },
  'consents.add': { 'zh-CN': '记录授权', en: 'Record consent' },
  'consents.empty': { 'zh-CN': '暂无授权记录', en: 'No consents recorded' },
  'consents.purpose': { 'zh-CN': '用途', en: 'Purpose' },
  'consents.scope': { 'zh-CN': '范围', en: 'Scope' },
  'consents.scopeHint': {
    'zh-CN': '如：电话和微信用于新品推荐',
    en: 'e.g. phone and WeChat for new products',
  },
  'consents.channel': { 'zh-CN': '取得方式', en: 'Channel' },
  'consents.channelHint': {
    'zh-CN': '如：纸质表单、网页勾选、电话录音',
    en: 'e.g. paper form, web checkbox, call recording',
  },
  'consents.grantedAt': { 'zh-CN': '授权时间', en: 'Granted' },
  'consents.withdrawnAt': { 'zh-CN': '撤回时间', en: 'Withdrawn' },
  'consents.recordedBy': { 'zh-CN': '记录人', en: 'Recorded by' },
  'consents.status': { 'zh-CN': '状态', en: 'Status' },
  'consents.active': { 'zh-CN': '有效', en: 'Active' },
  'consents.withdrawn': { 'zh-CN': '已撤回', en: 'Withdrawn' },
  'consents.withdraw': { 'zh-CN': '撤回', en: 'Withdraw' },
  'consents.withdrawDone': { 'zh-CN': '已记录撤回', en: 'Withdrawal recorded' },
  'purpose.marketing': { 'zh-CN': '营销', en: 'Marketing' },
  'purpose.service': { 'zh-CN': '服务', en: 'Service' },
  'purpose.analytics': { 'zh-CN': '分析', en: 'Analytics' },
  'purpose.third_party': { 'zh-CN': '第三方共享', en: 'Third-party sharing' },

  'dsr.title': { 'zh-CN': '个人信息请求', en: 'Data-subject requests' },
  'dsr.exportJson': { 'zh-CN': '导出全部数据（JSON）', en: 'Export all data (JSON)' },
  'dsr.exportXlsx': { 'zh-CN': '导出全部数据（Excel）', en: 'Export all data (Excel)' },
  'dsr.erase': { 'zh-CN': '删除个人信息', en: 'Erase personal data' },
  'dsr.eraseTitle': { 'zh-CN': '删除该客户的个人信息？', en: "Erase this customer's personal data?" },
  'dsr.eraseBody': {
    'zh-CN': '姓名、联系方式、联系人等个人信息将被清除且无法恢复；交易记录会保留（不含个人信息）。',
    en: 'The name, contact details, contacts and other personal data are removed for good. Transactions are kept, without personal data.',
  },
  'dsr.erased': { 'zh-CN': '个人信息已删除', en: 'Personal data erased' },
  'dsr.hint': {
    'zh-CN': '导出与删除均会记入审计日志。',
    en: 'Exports and erasures are recorded in the audit log.',
  },

  'tx.title': { 'zh-CN': '交易记录', en: 'Transactions' },
  'tx.add': { 'zh-CN': '添加交易', en: 'Add transaction' },
  'tx.loadMore': { 'zh-CN': '加载更多', en: 'Load more' },
  'tx.empty': { 'zh-CN': '暂无交易', en: 'No transactions' },
  'tx.shown': { 'zh-CN': '已显示 {shown} 笔', en: '{shown} shown' },
  'tx.shownOf': { 'zh-CN': '已显示 {shown} / {total} 笔', en: '{shown} of {total} shown' },
  'tx.deleteConfirm': { 'zh-CN': '删除这笔交易？', en: 'Delete this transaction?' },
  'tx.occurredOn': { 'zh-CN': '日期', en: 'Date' },
  'tx.product': { 'zh-CN': '产品', en: 'Product' },
  'tx.category': { 'zh-CN': '类别', en: 'Category' },
  'tx.quantity': { 'zh-CN': '数量', en: 'Quantity' },
  'tx.amount': { 'zh-CN': '金额', en: 'Amount' },
  'tx.cost': { 'zh-CN': '成本', en: 'Cost' },
  'tx.channel': { 'zh-CN': '渠道', en: 'Channel' },
  'tx.externalRef': { 'zh-CN': '外部单号', en: 'External reference' },
  'tx.notes': { 'zh-CN': '备注', en: 'Notes' },

  'form.createTitle': { 'zh-CN': '新建客户', en: 'New customer' },
  'form.editTitle': { 'zh-CN': '编辑客户', en: 'Edit customer' },
  'form.codeHint': { 'zh-CN': '留空则按编号规则自动生成', en: 'Leave empty to number it automatically' },
  'form.create': { 'zh-CN': '创建', en: 'Create' },
  'form.required': { 'zh-CN': '请填写{label}', en: '{label} is required' },
  'form.invalid': { 'zh-CN': '请检查标红的字段', en: 'Please check the highlighted fields' },
  'form.noChanges': { 'zh-CN': '没有需要保存的修改', en: 'Nothing to save' },
  'form.conflictTitle': { 'zh-CN': '该客户已被他人修改', en: 'Someone else changed this customer' },
  'form.conflictBody': {
    'zh-CN':
      '你打开此页面后，其他人保存了这位客户，你的修改未保存。重新加载可获取最新内容（当前未保存的修改将丢失）。',
    en: 'Another user saved this customer after you opened it, so your changes were not saved. Reload to get the latest version (your unsaved changes will be lost).',
  },
  'form.ownerHint': { 'zh-CN': '负责人的用户名', en: "The owner's username" },
  'form.reload': { 'zh-CN': '重新加载', en: 'Reload' },
  'form.keepEditing': { 'zh-CN': '继续编辑', en: 'Keep editing' },

  'field.code': { 'zh-CN': '编号', en: 'Code' },
  'field.name': { 'zh-CN': '名称', en: 'Name' },
  'field.type': { 'zh-CN': '类型', en: 'Type' },
  'field.company': { 'zh-CN': '公司', en: 'Company' },
  'field.stage': { 'zh-CN': '阶段', en: 'Stage' },
  'field.status': { 'zh-CN': '状态', en: 'Status' },
  'field.vip': { 'zh-CN': 'VIP', en: 'VIP' },
  'field.industry': { 'zh-CN': '行业', en: 'Industry' },
  'field.source': { 'zh-CN': '来源', en: 'Source' },
  'field.companySize': { 'zh-CN': '企业规模', en: 'Company size' },
  'field.province': { 'zh-CN': '省份', en: 'Province' },
  'field.city': { 'zh-CN': '城市', en: 'City' },
  'field.address': { 'zh-CN': '地址', en: 'Address' },
  'field.phone': { 'zh-CN': '电话', en: 'Phone' },
  'field.email': { 'zh-CN': '邮箱', en: 'Email' },
  'field.wechat': { 'zh-CN': '微信', en: 'WeChat' },
  'field.qq': { 'zh-CN': 'QQ', en: 'QQ' },
  'field.birthYear': { 'zh-CN': '出生年份', en: 'Birth year' },
  'field.ageBand': { 'zh-CN': '年龄段', en: 'Age band' },
  'field.gender': { 'zh-CN': '性别', en: 'Gender' },
  'field.occupation': { 'zh-CN': '职业', en: 'Occupation' },
  'field.incomeLevel': { 'zh-CN': '收入水平', en: 'Income level' },
  'field.firstContactOn': { 'zh-CN': '首次接触日期', en: 'First contact' },
  'field.cooperationStartOn': { 'zh-CN': '合作开始日期', en: 'Cooperation start' },
  'field.paymentMethod': { 'zh-CN': '付款方式', en: 'Payment method' },
  'field.creditStatus': { 'zh-CN': '信用状况', en: 'Credit status' },
  'field.needs': { 'zh-CN': '需求', en: 'Needs' },
  'field.purchasePreferences': { 'zh-CN': '购买偏好', en: 'Purchase preferences' },
  'field.communicationChannel': { 'zh-CN': '偏好沟通渠道', en: 'Preferred channel' },
  'field.communicationTime': { 'zh-CN': '偏好沟通时间', en: 'Preferred time' },
  'field.interests': { 'zh-CN': '兴趣爱好', en: 'Interests' },
  'field.serviceExpectations': { 'zh-CN': '服务期望', en: 'Service expectations' },
  'field.notes': { 'zh-CN': '备注', en: 'Notes' },
  'field.tags': { 'zh-CN': '标签', en: 'Tags' },
  'field.owner': { 'zh-CN': '负责人', en: 'Owner' },
  'field.totalSpent': { 'zh-CN': '累计消费', en: 'Total spent' },
  'field.orderCount': { 'zh-CN': '订单数', en: 'Orders' },
  'field.averageOrderValue': { 'zh-CN': '客单价', en: 'Average order value' },
  'field.firstPurchaseOn': { 'zh-CN': '首次购买', en: 'First purchase' },
  'field.lastPurchaseOn': { 'zh-CN': '最近购买', en: 'Last purchase' },
  'field.createdAt': { 'zh-CN': '创建时间', en: 'Created' },
  'field.updatedAt': { 'zh-CN': '更新时间', en: 'Updated' },

  'notFound.title': { 'zh-CN': '页面不存在', en: 'Page not found' },
  ...tierMessages,
  ...importMessages,
  ...dataMessages,
} satisfies Record<string, Entry>;

export type MessageKey = keyof typeof messages;
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const STORAGE_KEY = 'clientele.lang';

function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // Storage can be blocked (private mode); the default language still works.
  }
  return 'zh-CN';
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const text = messages[key][lang];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** Server messages come as `中文 / English`; show the half that matches the UI language. */
export function pickBilingual(text: string, lang: Lang): string {
  const at = text.indexOf(' / ');
  if (at < 0) return text;
  return lang === 'zh-CN' ? text.slice(0, at) : text.slice(at + 3);
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** Picks the label for the UI language from a `{zh, en}` pair. */
  pick: (zh: string, en: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the switch still applies to this tab.
    }
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      pick: (zh, en) => (lang === 'zh-CN' ? zh : en) || zh || en,
    }),
    [lang, setLang],
  );
  return createElement(I18nContext.Provider, { value }, children);
}

export function useT(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT() needs an <I18nProvider> above it');
  return value;
}
