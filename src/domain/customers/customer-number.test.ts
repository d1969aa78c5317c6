import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NUMBER_PATTERN,
  type NumberPattern,
  parseNumberPattern,
  renderNumber,
  sequenceScope,
} from './customer-number.js';

function parsed(pattern: string): NumberPattern {
  const result = parseNumberPattern(pattern);
  if ('error' in result) throw new Error(`${pattern}: ${result.error.en}`);
  return result;
}

function errorOf(pattern: string): { zh: string; en: string } {
  const result = parseNumberPattern(pattern);
  if (!('error' in result)) throw new Error(`${pattern} was accepted`);
  return result.error;
}

describe('parseNumberPattern', () => {
  it('accepts the default pattern with a sequence of five digits', () => {
    expect(parsed(DEFAULT_NUMBER_PATTERN)).toEqual({ pattern: 'KH{YYYY}{SEQ:5}', seqWidth: 5 });
  });

  it('defaults the sequence width to four digits', () => {
    expect(parsed('C-{SEQ}').seqWidth).toBe(4);
  });

  it('accepts every date placeholder and the separators - _ . /', () => {
    expect(parsed('客户/{YY}.{MM}_{DD}-{SEQ:3}').seqWidth).toBe(3);
  });

  it.each(['KH{YYYY}', 'KH{SEQ:3}{SEQ:3}', 'KH{SEQ:123}'])(
    'refuses %s: not exactly one {SEQ:n}',
    (pattern) => {
      expect(errorOf(pattern).en).toMatch(/exactly one/);
    },
  );

  it.each(['KH{YYYYY}{SEQ:5}', 'KH{HH}{SEQ:5}', 'KH{{SEQ:5}', 'KH}{SEQ:5}'])(
    'refuses the unknown placeholder in %s',
    (pattern) => {
      expect(errorOf(pattern).en).toMatch(/Unknown placeholder/);
    },
  );

  it.each(['KH {SEQ:5}', 'KH#{SEQ:5}', 'KH%{SEQ:5}'])(
    'refuses the character outside letters and - _ . / in %j',
    (pattern) => {
      expect(errorOf(pattern).en).toMatch(/Only letters, digits/);
    },
  );

  it.each(['KH{SEQ:0}', 'KH{SEQ:13}'])('refuses the sequence width of %s', (pattern) => {
    expect(errorOf(pattern).en).toMatch(/between 1 and 12/);
  });

  it('explains every error in Chinese too', () => {
    expect(errorOf('KH').zh).toMatch(/SEQ/);
    expect(errorOf('KH{SEQ:0}').zh).toMatch(/序号位数/);
  });
});

describe('sequenceScope and renderNumber', () => {
  const kh = parsed('KH{YYYY}{SEQ:5}');

  it('renders KH{YYYY}{SEQ:5} with sequence 17 in 2024 as KH202400017', () => {
    expect(renderNumber(sequenceScope(kh, '2024-03-15'), kh, 17)).toBe('KH202400017');
  });

  it('has one scope per year', () => {
    expect(sequenceScope(kh, '2024-01-01')).toBe(sequenceScope(kh, '2024-12-31'));
    expect(sequenceScope(kh, '2024-12-31')).not.toBe(sequenceScope(kh, '2025-01-01'));
    expect(sequenceScope(kh, '2025-01-01')).toBe('KH2025{SEQ}');
  });

  it('has one scope per day with {YY}{MM}{DD}', () => {
    const daily = parsed('{YY}{MM}{DD}-{SEQ:3}');
    expect(sequenceScope(daily, '2024-03-15')).toBe('240315-{SEQ}');
    expect(sequenceScope(daily, '2024-03-16')).toBe('240316-{SEQ}');
  });

  it('has a single scope without date placeholders', () => {
    const plain = parsed('C{SEQ:6}');
    expect(sequenceScope(plain, '2024-03-15')).toBe(sequenceScope(plain, '2030-01-01'));
  });

  it('pads the sequence with zeros to the width', () => {
    const p = parsed('A{SEQ:3}');
    expect(renderNumber(sequenceScope(p, '2024-01-01'), p, 7)).toBe('A007');
    expect(renderNumber(sequenceScope(p, '2024-01-01'), p, 999)).toBe('A999');
  });

  it('lets the sequence grow past the width instead of cutting digits', () => {
    const p = parsed('A{SEQ:3}');
    expect(renderNumber(sequenceScope(p, '2024-01-01'), p, 1000)).toBe('A1000');
  });

  it('renders a sequence placed between literal parts', () => {
    const p = parsed('X{SEQ:2}-{YY}');
    expect(renderNumber(sequenceScope(p, '2024-05-06'), p, 3)).toBe('X03-24');
  });
});
