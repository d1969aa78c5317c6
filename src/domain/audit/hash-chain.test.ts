import { describe, expect, it } from 'vitest';
import { type AuditContent, canonicalJson, chainHash, GENESIS_HASH, verifyChain } from './hash-chain.js';

function chain(contents: AuditContent[]) {
  let previous = GENESIS_HASH;
  return contents.map((content) => {
    const hash = chainHash(previous, content);
    const entry = { ...content, prevHash: previous, hash };
    previous = hash;
    return entry;
  });
}

const entry = (id: number, action: string, details: unknown = {}): AuditContent => ({
  id,
  at: `2024-01-0${id}T00:00:00.000Z`,
  actorType: 'user',
  actor: 'admin',
  action,
  entityType: 'customer',
  entityId: String(id),
  customerId: id,
  details,
});

describe('audit hash chain', () => {
  it('sorts keys so the same content hashes the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('accepts an untouched chain', () => {
    expect(verifyChain(chain([entry(1, 'create'), entry(2, 'update'), entry(3, 'delete')]))).toBeUndefined();
  });

  it('finds an edited entry', () => {
    const entries = chain([entry(1, 'create'), entry(2, 'update', { phone: 'x' }), entry(3, 'delete')]);
    entries[1] = { ...entries[1], details: { phone: 'y' } } as (typeof entries)[number];
    expect(verifyChain(entries)).toEqual({ id: 2, problem: 'hash_mismatch' });
  });

  it('finds a deleted entry', () => {
    const entries = chain([entry(1, 'create'), entry(2, 'update'), entry(3, 'delete')]);
    expect(verifyChain([entries[0], entries[2]] as typeof entries)).toEqual({
      id: 3,
      problem: 'broken_link',
    });
  });
});
