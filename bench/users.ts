/** The sales people of the generated data set, as users of the application (owners of customers). */
import type { Queryable } from '../src/db/database.js';
import { OWNERS } from './data.js';

/** Creates the bench's users when missing; returns username → user id. */
export async function ensureBenchUsers(db: Queryable): Promise<Map<string, number>> {
  await db.query(
    `INSERT INTO users (username, display_name, role)
     SELECT name, name, 'sales' FROM unnest($1::text[]) AS n(name)
     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.username = n.name)`,
    [OWNERS],
  );
  const { rows } = await db.query<{ id: number; username: string }>(
    'SELECT id, username FROM users WHERE username = ANY($1::text[])',
    [OWNERS],
  );
  return new Map(rows.map((row) => [row.username, row.id]));
}
