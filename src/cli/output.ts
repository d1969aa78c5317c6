import { AppError } from '../shared/app-error.js';

/** Display width of a string: CJK characters take two columns in a terminal. */
function width(text: string): number {
  let total = 0;
  for (const char of text)
    total +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        char,
      )
        ? 2
        : 1;
  return total;
}

function pad(text: string, size: number): string {
  return text + ' '.repeat(Math.max(0, size - width(text)));
}

/** A plain aligned table for humans; `--json` output never goes through here. */
export function formatTable(headers: string[], rows: string[][]): string {
  const sizes = headers.map((header, i) =>
    Math.max(width(header), ...rows.map((row) => width(row[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, sizes[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(sizes.map((size) => '-'.repeat(size))), ...rows.map(line)].join('\n');
}

/** `共 12 个客户 / 12 customers`; a total that stopped at the count's cap gets a `+` (`5000+`). */
export function totalLine(total: number, exact: boolean): string {
  const shown = `${total}${exact ? '' : '+'}`;
  return `共 ${shown} 个客户 / ${shown} customers`;
}

export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints an error the way the API reports it, and returns the exit code. */
export function reportError(error: unknown, json: boolean): number {
  if (error instanceof AppError) {
    if (json) {
      process.stderr.write(
        `${JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } })}\n`,
      );
    } else {
      process.stderr.write(`错误 / Error [${error.code}]: ${error.message}\n`);
      if (Array.isArray(error.details)) {
        for (const issue of error.details) {
          const where = issue.row !== undefined ? `row ${issue.row}, ` : '';
          process.stderr.write(`  - ${where}${issue.field}: ${issue.message}\n`);
        }
      }
    }
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    json ? `${JSON.stringify({ error: { code: 'INTERNAL', message } })}\n` : `错误 / Error: ${message}\n`,
  );
  return 1;
}
