/** Streams the generated benchmark CSV files to disk, reusing them when the same file already exists. */
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { isDeepStrictEqual } from 'node:util';
import { createCustomerSchema } from '../src/modules/customers/customer.schemas.js';
import {
  CUSTOMER_CSV_COLUMNS,
  generateCustomer,
  generateTransaction,
  TRANSACTION_CSV_COLUMNS,
} from './data.js';
import { Rng } from './rng.js';

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function writeLines(
  file: string,
  header: readonly string[],
  count: number,
  line: (i: number) => string[],
) {
  const partial = `${file}.partial`;
  const out = fs.createWriteStream(partial);
  out.write(`${header.join(',')}\n`);
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(line(i).map(csvField).join(','));
    if (chunk.length === 2000 || i === count - 1) {
      if (!out.write(`${chunk.join('\n')}\n`))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = [];
    }
  }
  out.end();
  await finished(out);
  fs.renameSync(partial, file);
}

export interface BenchFiles {
  customers: string;
  transactions: string;
}

/** Writes (or reuses) `customers-N-sS.csv` and `transactions-M-for-N-sS.csv` in `dir`. */
export async function ensureCsvFiles(
  dir: string,
  seed: number,
  customers: number,
  transactions: number,
  log: (line: string) => void,
): Promise<BenchFiles> {
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    customers: path.join(dir, `customers-${customers}-s${seed}.csv`),
    transactions: path.join(dir, `transactions-${transactions}-for-${customers}-s${seed}.csv`),
  };
  if (!fs.existsSync(files.customers)) {
    const started = performance.now();
    await writeLines(files.customers, CUSTOMER_CSV_COLUMNS, customers, (i) => {
      const { csv } = generateCustomer(seed, i);
      return CUSTOMER_CSV_COLUMNS.map((column) => csv[column]);
    });
    log(`  wrote ${files.customers} (${mb(files.customers)}) in ${seconds(started)}`);
  }
  if (!fs.existsSync(files.transactions)) {
    const started = performance.now();
    const rng = new Rng(seed * 31 + 5);
    await writeLines(files.transactions, TRANSACTION_CSV_COLUMNS, transactions, () =>
      generateTransaction(rng, customers),
    );
    log(`  wrote ${files.transactions} (${mb(files.transactions)}) in ${seconds(started)}`);
  }
  return files;
}

/**
 * Checks that the stored values the generator hands to bulk loads are exactly what the import's
 * validation makes of the same CSV row, so bulk-loaded and imported customers are alike.
 */
export function checkGeneratorAgainstValidation(seed: number, sample: number): void {
  for (let i = 0; i < sample; i++) {
    const customer = generateCustomer(seed, i * 7919);
    const parsed = createCustomerSchema.parse(customer.csv) as Record<string, unknown>;
    for (const column of CUSTOMER_CSV_COLUMNS) {
      const expected = parsed[column] === undefined ? null : parsed[column];
      if (!isDeepStrictEqual(expected, customer.fields[column])) {
        throw new Error(
          `generator mismatch at customer ${i * 7919}, ${column}: validation gives ${JSON.stringify(expected)}, generator ${JSON.stringify(customer.fields[column])}`,
        );
      }
    }
  }
}

function mb(file: string): string {
  return `${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
}

function seconds(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}
