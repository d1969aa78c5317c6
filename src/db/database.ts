/** A row-returning query result, the same shape on PGlite and on a PostgreSQL server. */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** Anything that can run SQL: the database itself or an open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs several `;`-separated statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * The application's database. Values come back normalised the same way on both engines:
 * `bigint` as number, `numeric` as exact decimal string, `date` as `YYYY-MM-DD`,
 * `timestamptz` as ISO-8601 string.
 */
export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Human-readable location: the data folder or the server URL without password. */
  readonly location: string;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const OID = {
  int8: 20,
  int8Array: 1016,
  date: 1082,
  dateArray: 1182,
  timestamp: 1114,
  timestamptz: 1184,
  timestamptzArray: 1185,
} as const;

export function parseInt8(value: string): number {
  return Number(value);
}

export function parseTimestamptz(value: string): string {
  // PostgreSQL prints `2024-01-02 03:04:05.678+00`; Date understands it once the space is a T.
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

export function parseTimestamp(value: string): string {
  return new Date(`${value.replace(' ', 'T')}Z`).toISOString();
}
