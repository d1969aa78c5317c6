import fs from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../config.js';
import type { SavedMapping } from '../domain/imports/column-mapping.js';
import { importCustomers } from '../modules/imports/import-customers.js';
import { type ImportOutcome, type OnDuplicate, onDuplicateChoices } from '../modules/imports/import-run.js';
import { customerTemplate } from '../modules/imports/import-template.js';
import { importTransactions } from '../modules/imports/import-transactions.js';
import { listImports, undoImport } from '../modules/imports/import-undo.js';
import { writeErrorReport } from '../modules/imports/xlsx-writers.js';
import { importCommunications } from '../modules/records/import-communications.js';
import { validationError } from '../shared/app-error.js';
import type { AppContext } from '../shared/context.js';
import { formatTable, printJson } from './output.js';

type WithContext = <T>(config: Config, command: string, work: (ctx: AppContext) => Promise<T>) => Promise<T>;

const out = (text: string) => process.stdout.write(text);

function onDuplicate(value: string): OnDuplicate {
  if (!(onDuplicateChoices as readonly string[]).includes(value)) {
    throw new InvalidArgumentError('须为 skip 或 update / must be skip or update');
  }
  return value as OnDuplicate;
}

/** A saved mapping: `{"表头": "field" | null, …}` (or the `columns` list an import printed with --save-mapping). */
export function readMapping(file: string): SavedMapping {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw validationError([
      {
        field: 'mapping',
        message: `无法读取映射文件 ${file}：${(error as Error).message} / Cannot read the mapping file ${file}: ${(error as Error).message}`,
      },
    ]);
  }
  const object = parsed as Record<string, unknown>;
  const entries = Array.isArray(object.columns)
    ? (object.columns as { header?: unknown; field?: unknown }[]).map(
        (column) => [column.header, column.field] as const,
      )
    : Object.entries(object);
  const mapping: SavedMapping = {};
  for (const [header, field] of entries) {
    if (typeof header !== 'string' || (field !== null && typeof field !== 'string')) {
      throw validationError([
        {
          field: 'mapping',
          message: '映射须为 {"表头": "字段" 或 null} / A mapping is {"header": "field" or null}',
        },
      ]);
    }
    mapping[header] = field;
  }
  return mapping;
}

function printOutcome(outcome: ImportOutcome, skipInvalid: boolean) {
  const { report } = outcome;
  const where = `${outcome.table.format}${outcome.table.encoding ? ` ${outcome.table.encoding}` : ''}${
    outcome.table.sheet ? `, 工作表 / sheet ${outcome.table.sheet}` : ''
  }, 表头在第 ${outcome.table.headerRow} 行 / header in row ${outcome.table.headerRow}`;
  out(
    `${outcome.dryRun ? '预演（未写入） / Dry run (nothing written)' : outcome.committed ? '已导入 / Imported' : '未导入 / Not imported'}: ${where}\n` +
      `读取 ${report.rows} 行：有效 ${report.valid}，新建 ${report.created}，更新 ${report.updated}，跳过 ${report.skipped}，无效 ${report.invalid.length}\n` +
      `Read ${report.rows} rows: ${report.valid} valid, ${report.created} created, ${report.updated} updated, ${report.skipped} skipped, ${report.invalid.length} invalid\n` +
      `重复：文件内 ${report.duplicates.inFile}，已有客户 ${report.duplicates.existing} / Duplicates: ${report.duplicates.inFile} in the file, ${report.duplicates.existing} existing\n`,
  );
  if (outcome.unknownColumns.length > 0) {
    out(`未识别的列（未导入） / Unrecognised columns (not imported): ${outcome.unknownColumns.join(', ')}\n`);
  }
  for (const issue of report.invalid.slice(0, 50)) {
    out(
      `  row ${issue.row}, ${issue.column || issue.field}${issue.value ? ` "${issue.value}"` : ''}: ${issue.message}\n`,
    );
  }
  if (report.invalid.length > 50) out(`  … ${report.invalid.length - 50} more\n`);
  for (const possible of report.possibleDuplicates.slice(0, 20)) {
    const similar = possible.similarTo
      .map((item) =>
        'code' in item
          ? `${item.code} ${item.name}${item.owner ? ` (${item.owner})` : ''}`
          : `row ${item.row} ${item.name}`,
      )
      .join('; ');
    out(`  可能重复 / possible duplicate: row ${possible.row} ${possible.name} ~ ${similar}\n`);
  }
  if (!outcome.dryRun && !outcome.committed && report.invalid.length > 0 && !skipInvalid) {
    out(
      '有无效行，未写入任何数据（可加 --skip-invalid 跳过无效行） / Invalid rows found: nothing was written (use --skip-invalid to import the valid rows)\n',
    );
  }
  if (outcome.importId !== null)
    out(`导入编号 / import id: ${outcome.importId} (clientele import undo ${outcome.importId})\n`);
}

/** `clientele import …`: customers and transactions from xlsx / CSV / TSV, undo, the template. */
export function registerImportCommands(
  program: Command,
  env: { config: () => Config; json: () => boolean; withContext: WithContext },
): void {
  const { config, json, withContext } = env;
  const importer = program
    .command('import')
    .description('import customers or transactions from xlsx, CSV or tab-separated files (UTF-8 or GBK)');
  for (const [kind, run] of [
    ['customers', importCustomers],
    ['transactions', importTransactions],
    ['communications', importCommunications],
  ] as const) {
    importer
      .command(`${kind} <file>`)
      .description(
        {
          customers:
            'import customers; columns recognised by Chinese or English names (客户名称, 手机, 邮箱, …) or API names',
          transactions:
            'import transactions (客户编号 / customer_code, 日期 / date, 金额 / amount, 数量, 产品, 类别, 订单号 …)',
          communications:
            'import communications (客户编号, 沟通时间 / time, 沟通方式 / channel, 沟通内容 / content, 下一步)',
        }[kind],
      )
      .option('--sheet <name>', 'xlsx: the sheet to read (default: the first)')
      .option('--dry-run', 'check everything and report; write nothing')
      .option(
        '--on-duplicate <choice>',
        'skip or update (default update: non-empty cells fill and overwrite)',
        onDuplicate,
      )
      .option('--mapping <file>', 'saved column mapping: {"表头": "field" | null, …}')
      .option('--save-mapping <file>', 'write the column mapping this import used, for --mapping next time')
      .option('--skip-invalid', 'write the valid rows even if some are invalid (default: write nothing then)')
      .option('--errors <file.xlsx>', 'write the invalid rows with an error column to an xlsx file')
      .action(
        async (
          file: string,
          options: {
            sheet?: string;
            dryRun?: boolean;
            onDuplicate?: OnDuplicate;
            mapping?: string;
            saveMapping?: string;
            skipInvalid?: boolean;
            errors?: string;
          },
        ) => {
          const mapping = options.mapping ? readMapping(options.mapping) : undefined;
          const outcome = await withContext(config(), `import ${kind}`, (ctx) =>
            run(ctx, file, {
              sheet: options.sheet,
              dryRun: options.dryRun,
              onDuplicate: options.onDuplicate,
              mapping,
              skipInvalid: options.skipInvalid,
            }),
          );
          if (options.errors) await writeErrorReport(options.errors, outcome.header, outcome.errorRows);
          if (options.saveMapping) {
            const saved = Object.fromEntries(
              outcome.columns
                .filter((column) => column.header !== '')
                .map((column) => [column.header, column.field]),
            );
            fs.writeFileSync(options.saveMapping, `${JSON.stringify(saved, null, 2)}\n`);
          }
          if (json()) printJson(outcome.report);
          else printOutcome(outcome, Boolean(options.skipInvalid));
          if (!outcome.dryRun && !outcome.committed) process.exitCode = 1;
        },
      );
  }
  importer
    .command('list')
    .description('recent imports: who, when, which file, what happened')
    .action(async () => {
      const items = await withContext(config(), 'import list', (ctx) => listImports(ctx));
      if (json()) return printJson(items);
      out(
        `${formatTable(
          ['id', 'kind', 'file', 'rows', 'created', 'updated', 'skipped', 'by', 'at', 'undone'],
          items.map((item) => [
            String(item.id),
            item.kind,
            item.fileName,
            String(item.rows),
            String(item.created),
            String(item.updated),
            String(item.skipped),
            item.actor,
            item.createdAt.slice(0, 16),
            item.undoneAt ? item.undoneAt.slice(0, 16) : '',
          ]),
        )}\n`,
      );
    });
  importer
    .command('undo <id>')
    .description('undo an import while the records it created or changed are untouched')
    .action(async (id: string) => {
      const result = await withContext(config(), 'import undo', (ctx) => undoImport(ctx, Number(id)));
      if (json()) return printJson(result);
      out(
        `已撤销导入 ${id}：删除 ${result.deleted}，恢复 ${result.restored} / Import ${id} undone: ${result.deleted} removed, ${result.restored} restored\n`,
      );
    });
  importer
    .command('template')
    .description('write the customer import template (xlsx with Chinese headers and drop-down lists)')
    .option('--output <file>', 'where to write it', 'clientele-customers-template.xlsx')
    .action(async (options: { output: string }) => {
      const buffer = await withContext(config(), 'import template', (ctx) => customerTemplate(ctx));
      fs.writeFileSync(options.output, buffer);
      if (json()) return printJson({ file: options.output });
      out(`已写入模板 / Template written: ${options.output}\n`);
    });
}
