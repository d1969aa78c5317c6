import type { Lang } from './i18n';

/** Texts of the import wizard and the import history (导入), merged into the messages of i18n.ts. */
export const importMessages = {
  'nav.import': { 'zh-CN': '导入', en: 'Import' },

  'imports.title': { 'zh-CN': '导入', en: 'Import' },
  'imports.intro': {
    'zh-CN':
      '从 Excel / WPS 表格或 CSV 导入客户或交易记录。每一步都先在服务器上试运行整个文件，确认后才真正写入；导入后仍可撤销。',
    en: 'Import customers or transactions from an Excel / WPS sheet or a CSV file. Each step first tries the whole file on the server; nothing is written until you confirm, and an import can be undone afterwards.',
  },
  'imports.tab.wizard': { 'zh-CN': '导入向导', en: 'Import wizard' },
  'imports.tab.history': { 'zh-CN': '导入记录', en: 'Import history' },
  'imports.listSeparator': { 'zh-CN': '、', en: ', ' },

  'imports.step.upload': { 'zh-CN': '选择文件', en: 'Choose a file' },
  'imports.step.mapping': { 'zh-CN': '核对列映射', en: 'Check the columns' },
  'imports.step.check': { 'zh-CN': '错误与重复', en: 'Errors and duplicates' },
  'imports.step.decide': { 'zh-CN': '处理方式', en: 'Decide' },
  'imports.step.result': { 'zh-CN': '导入结果', en: 'Result' },

  'imports.kind': { 'zh-CN': '导入内容', en: 'What to import' },
  'imports.kind.customers': { 'zh-CN': '客户', en: 'Customers' },
  'imports.kind.transactions': { 'zh-CN': '交易记录', en: 'Transactions' },
  'imports.file': { 'zh-CN': '文件', en: 'File' },
  'imports.fileHint': {
    'zh-CN':
      '支持 .xlsx、.csv 和制表符分隔的 .txt，UTF-8 或 GBK 编码，最大 200 MB；旧版 .xls 请先另存为 .xlsx。',
    en: 'Accepts .xlsx, .csv and tab-separated .txt in UTF-8 or GBK, up to 200 MB; save old .xls files as .xlsx first.',
  },
  'imports.drop': { 'zh-CN': '点击或拖拽文件到此处', en: 'Click or drag a file here' },
  'imports.dropHint': {
    'zh-CN': '表头可以在标题行下面；空行和说明行会被跳过。',
    en: 'The header may sit below title rows; blank rows and notes are skipped.',
  },
  'imports.sheet': { 'zh-CN': '工作表（可选）', en: 'Sheet (optional)' },
  'imports.sheetHint': {
    'zh-CN': '只对 .xlsx 有效；留空则读取第一个工作表。',
    en: 'For .xlsx only; empty reads the first sheet.',
  },
  'imports.sheetPlaceholder': { 'zh-CN': '第一个工作表', en: 'First sheet' },
  'imports.template': { 'zh-CN': '下载导入模板', en: 'Download the template' },
  'imports.templateHint': {
    'zh-CN': '模板含中文表头、填写说明和下拉选项。',
    en: 'The template has Chinese headers, a hint per column and drop-down lists.',
  },
  'imports.transactionsHint': {
    'zh-CN': '交易文件必须包含客户编号、日期和金额三列。',
    en: 'A transaction file needs the columns customer code, date and amount.',
  },
  'imports.analyse': { 'zh-CN': '读取并检查', en: 'Read and check' },
  'imports.previous': { 'zh-CN': '上一步', en: 'Back' },
  'imports.next': { 'zh-CN': '下一步', en: 'Next' },
  'imports.failed': { 'zh-CN': '文件无法导入', en: 'The file cannot be imported' },

  'imports.txField.customer_code': { 'zh-CN': '客户编号', en: 'Customer code' },
  'imports.txField.date': { 'zh-CN': '交易日期', en: 'Date' },
  'imports.txField.amount': { 'zh-CN': '金额', en: 'Amount' },
  'imports.txField.quantity': { 'zh-CN': '数量', en: 'Quantity' },
  'imports.txField.product': { 'zh-CN': '产品', en: 'Product' },
  'imports.txField.category': { 'zh-CN': '产品类别', en: 'Category' },
  'imports.txField.cost': { 'zh-CN': '成本', en: 'Cost' },
  'imports.txField.channel': { 'zh-CN': '销售渠道', en: 'Channel' },
  'imports.txField.external_ref': { 'zh-CN': '订单号', en: 'Order number' },
  'imports.txField.notes': { 'zh-CN': '备注', en: 'Notes' },

  'imports.table.format': { 'zh-CN': '格式', en: 'Format' },
  'imports.table.encoding': { 'zh-CN': '编码', en: 'Encoding' },
  'imports.table.sheet': { 'zh-CN': '工作表', en: 'Sheet' },
  'imports.table.headerRow': { 'zh-CN': '表头所在行', en: 'Header row' },

  'imports.mapping.intro': {
    'zh-CN': '每一列导入到哪个字段？改动后会立即重新检查整个文件。',
    en: 'Which field does each column feed? Each change checks the whole file again.',
  },
  'imports.mapping.column': { 'zh-CN': '列', en: 'Column' },
  'imports.mapping.header': { 'zh-CN': '表头', en: 'Header' },
  'imports.mapping.emptyHeader': { 'zh-CN': '（空表头）', en: '(empty header)' },
  'imports.mapping.field': { 'zh-CN': '导入到字段', en: 'Field' },
  'imports.mapping.fieldOf': { 'zh-CN': '“{header}”列导入到的字段', en: 'Field of column “{header}”' },
  'imports.mapping.automatic': { 'zh-CN': '自动识别', en: 'Recognised automatically' },
  'imports.mapping.ignore': { 'zh-CN': '不导入', en: 'Do not import' },
  'imports.mapping.standardFields': { 'zh-CN': '标准字段', en: 'Standard fields' },
  'imports.mapping.customFields': { 'zh-CN': '自定义字段', en: 'Custom fields' },
  'imports.mapping.state': { 'zh-CN': '识别情况', en: 'Recognition' },
  'imports.mapping.unknown': { 'zh-CN': '未识别', en: 'Not recognised' },
  'imports.mapping.chosen': { 'zh-CN': '手动指定', en: 'Set by you' },
  'imports.mapping.recognised': { 'zh-CN': '已识别', en: 'Recognised' },
  'imports.mapping.notImported': { 'zh-CN': '不导入', en: 'Not imported' },
  'imports.mapping.unknownAlert': {
    'zh-CN': '有 {n} 列无法识别，不会导入；如需导入，请为它们选择字段。',
    en: '{n} column(s) are not recognised and will not be imported; choose a field to import them.',
  },
  'imports.mapping.missing': {
    'zh-CN': '缺少必需的列：{fields}。请为相应的列选择字段。',
    en: 'Required column(s) missing: {fields}. Choose the field for the matching column.',
  },
  'imports.mapping.download': { 'zh-CN': '下载映射', en: 'Download mapping' },
  'imports.mapping.load': { 'zh-CN': '载入映射', en: 'Load mapping' },
  'imports.mapping.loadInvalid': {
    'zh-CN': '映射文件须为 JSON：{"表头": "字段" 或 null}',
    en: 'A mapping file is JSON: {"header": "field" or null}',
  },

  'imports.report.dryRunNote': {
    'zh-CN': '以下是试运行结果：尚未写入任何数据，统计数即导入后的结果（无效行不计入）。',
    en: 'A dry run: nothing is written yet. The counts are what the import will do (invalid rows left out).',
  },
  'imports.report.committedNote': { 'zh-CN': '本次导入的结果：', en: 'What this import did:' },
  'imports.count.rows': { 'zh-CN': '总行数', en: 'Rows' },
  'imports.count.valid': { 'zh-CN': '有效行', en: 'Valid' },
  'imports.count.invalid': { 'zh-CN': '无效行', en: 'Invalid' },
  'imports.count.created': { 'zh-CN': '新建', en: 'Created' },
  'imports.count.updated': { 'zh-CN': '更新', en: 'Updated' },
  'imports.count.skipped': { 'zh-CN': '跳过', en: 'Skipped' },
  'imports.count.inFile': { 'zh-CN': '文件内重复', en: 'Duplicates in file' },
  'imports.count.existing': { 'zh-CN': '与已有记录重复', en: 'Duplicates of existing' },

  'imports.invalid.title': { 'zh-CN': '无效行（{n}）', en: 'Invalid rows ({n})' },
  'imports.invalid.none': { 'zh-CN': '没有无效行', en: 'No invalid rows' },
  'imports.invalid.hint': {
    'zh-CN': '无效行不会被导入。可下载错误报告，在原表中修改后再次导入。',
    en: 'Invalid rows are never imported. Download the error report, fix the rows and import them again.',
  },
  'imports.invalid.download': { 'zh-CN': '下载错误报告', en: 'Download error report' },
  'imports.invalid.row': { 'zh-CN': '行号', en: 'Row' },
  'imports.invalid.column': { 'zh-CN': '列', en: 'Column' },
  'imports.invalid.value': { 'zh-CN': '内容', en: 'Value' },
  'imports.invalid.message': { 'zh-CN': '问题', en: 'Problem' },

  'imports.possible.title': { 'zh-CN': '疑似重复（{n}）', en: 'Possible duplicates ({n})' },
  'imports.possible.none': { 'zh-CN': '没有疑似重复的客户', en: 'No possible duplicates' },
  'imports.possible.hint': {
    'zh-CN': '名称与已有客户或文件中前面的行相似。这些行仍会被新建，是否合并由您在「重复客户」中决定。',
    en: 'The name resembles an existing customer or an earlier row. These rows are still created; whether to merge is your decision under Duplicates.',
  },
  'imports.possible.name': { 'zh-CN': '名称', en: 'Name' },
  'imports.possible.similarTo': { 'zh-CN': '相似的客户', en: 'Similar customers' },
  'imports.possible.owner': { 'zh-CN': '负责人：{owner}', en: 'Owner: {owner}' },
  'imports.possible.noOwner': { 'zh-CN': '无', en: 'none' },
  'imports.possible.inFile': { 'zh-CN': '文件第 {row} 行', en: 'Row {row} of the file' },

  'imports.decide.duplicates': { 'zh-CN': '遇到重复时', en: 'On a duplicate' },
  'imports.decide.duplicatesFound': {
    'zh-CN': '与已有记录重复 {existing} 行，文件内重复 {inFile} 行（编号、手机、邮箱或唯一字段相同）。',
    en: '{existing} row(s) duplicate existing records, {inFile} duplicate earlier rows (same code, phone, e-mail or unique field).',
  },
  'imports.decide.update': { 'zh-CN': '更新已有记录', en: 'Update the existing record' },
  'imports.decide.updateHint': {
    'zh-CN': '用该行中非空的单元格填入并覆盖已有客户的字段；空单元格不会清除已有内容。',
    en: "The row's non-empty cells fill and overwrite the customer's fields; empty cells never erase anything.",
  },
  'imports.decide.skip': { 'zh-CN': '跳过该行', en: 'Skip the row' },
  'imports.decide.skipHint': {
    'zh-CN': '已有记录保持不变，该行计入「跳过」。',
    en: 'The existing record stays as it is; the row counts as skipped.',
  },
  'imports.decide.invalid': { 'zh-CN': '无效行', en: 'Invalid rows' },
  'imports.decide.invalidFound': { 'zh-CN': '文件中有 {n} 行无效。', en: 'The file has {n} invalid row(s).' },
  'imports.decide.skipInvalid': {
    'zh-CN': '跳过无效行，导入其余行',
    en: 'Skip invalid rows, import the rest',
  },
  'imports.decide.skipInvalidHint': {
    'zh-CN': '无效行不写入，可稍后用错误报告修改后再导入。',
    en: 'Invalid rows are left out; fix them with the error report and import them later.',
  },
  'imports.decide.refuseInvalid': {
    'zh-CN': '有无效行时不导入',
    en: 'Import nothing while rows are invalid',
  },
  'imports.decide.refuseInvalidHint': {
    'zh-CN': '整个文件作为一个整体：只要有一行无效，就不写入任何数据。',
    en: 'The file is all or nothing: one invalid row and nothing is written.',
  },
  'imports.decide.expected': {
    'zh-CN': '将新建 {created} 条、更新 {updated} 条、跳过 {skipped} 条。',
    en: 'This will create {created}, update {updated} and skip {skipped}.',
  },
  'imports.decide.willRefuse': {
    'zh-CN': '文件有 {n} 行无效：按当前选择，导入将被拒绝，不写入任何数据。',
    en: 'The file has {n} invalid row(s): with this choice the import is refused and nothing is written.',
  },
  'imports.commit': { 'zh-CN': '开始导入', en: 'Import' },
  'imports.commitConfirm': { 'zh-CN': '导入“{file}”？', en: 'Import “{file}”?' },

  'imports.result.done': { 'zh-CN': '导入完成', en: 'Imported' },
  'imports.result.doneDetail': {
    'zh-CN': '新建 {created} 条，更新 {updated} 条，跳过 {skipped} 条。',
    en: 'Created {created}, updated {updated}, skipped {skipped}.',
  },
  'imports.result.refused': { 'zh-CN': '未导入任何数据', en: 'Nothing was imported' },
  'imports.result.refusedDetail': {
    'zh-CN': '文件有 {n} 行无效。可选择「跳过无效行」后再导入，或修改文件后重新上传。',
    en: 'The file has {n} invalid row(s). Choose “Skip invalid rows” and import again, or fix the file and upload it again.',
  },
  'imports.result.undone': { 'zh-CN': '导入已撤销', en: 'Import undone' },
  'imports.result.undoneDetail': {
    'zh-CN': '已删除 {deleted} 条新建的记录，恢复 {restored} 条被更新的记录。',
    en: 'Removed {deleted} created record(s), restored {restored} updated record(s).',
  },
  'imports.result.id': { 'zh-CN': '导入编号', en: 'Import id' },
  'imports.undo': { 'zh-CN': '撤销导入', en: 'Undo import' },
  'imports.undoConfirm': {
    'zh-CN': '撤销这次导入？新建的记录将被删除，被更新的客户恢复原值；导入后已被修改的记录会阻止撤销。',
    en: 'Undo this import? Created records are removed and updated customers get their earlier values back; records changed since prevent the undo.',
  },
  'imports.again': { 'zh-CN': '导入另一个文件', en: 'Import another file' },
  'imports.toCustomers': { 'zh-CN': '查看客户列表', en: 'Go to the customers' },

  'imports.history.intro': {
    'zh-CN': '已提交的导入（您自己的；可查看全部客户的用户可见所有人的导入）。',
    en: 'Committed imports (your own; users who see all customers see everyone’s).',
  },
  'imports.history.refresh': { 'zh-CN': '刷新', en: 'Refresh' },
  'imports.history.empty': { 'zh-CN': '还没有导入记录', en: 'No imports yet' },
  'imports.history.id': { 'zh-CN': '编号', en: 'Id' },
  'imports.history.at': { 'zh-CN': '时间', en: 'When' },
  'imports.history.file': { 'zh-CN': '文件', en: 'File' },
  'imports.history.actor': { 'zh-CN': '操作人', en: 'By' },
  'imports.history.counts': { 'zh-CN': '结果', en: 'Result' },
  'imports.history.countsText': {
    'zh-CN': '{rows} 行：新建 {created}，更新 {updated}，跳过 {skipped}，无效 {invalid}',
    en: '{rows} rows: {created} created, {updated} updated, {skipped} skipped, {invalid} invalid',
  },
  'imports.history.status': { 'zh-CN': '状态', en: 'Status' },
  'imports.history.active': { 'zh-CN': '已导入', en: 'Imported' },
  'imports.history.undone': { 'zh-CN': '已撤销', en: 'Undone' },
  'imports.history.undoneBy': { 'zh-CN': '{by} 于 {at} 撤销', en: 'Undone by {by} at {at}' },
} satisfies Record<string, Record<Lang, string>>;
