import { createHash } from 'node:crypto';

/** What an audit entry commits to; `hash` = SHA-256 of the previous hash and this canonical content. */
export interface AuditContent {
  id: number;
  at: string;
  actorType: string;
  actor: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  customerId: number | null;
  details: unknown;
}

/** JSON with keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(previousHash: string, content: AuditContent): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalJson(content)).digest('hex');
}

export interface ChainProblem {
  id: number;
  problem: 'hash_mismatch' | 'broken_link';
}

/** Checks entries in id order; returns the first entry where the chain does not hold. */
export function verifyChain(
  entries: readonly (AuditContent & { prevHash: string; hash: string })[],
  startHash = GENESIS_HASH,
): ChainProblem | undefined {
  let previous = startHash;
  for (const entry of entries) {
    if (entry.prevHash !== previous) return { id: entry.id, problem: 'broken_link' };
    const { prevHash: _prev, hash, ...content } = entry;
    if (chainHash(previous, content) !== hash) return { id: entry.id, problem: 'hash_mismatch' };
    previous = hash;
  }
  return undefined;
}
