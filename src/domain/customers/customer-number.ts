/**
 * Customer numbers generated from a pattern such as `KH{YYYY}{SEQ:5}` → `KH202400017`.
 * Placeholders: {YYYY} {YY} {MM} {DD} (creation date) and exactly one {SEQ:n} (zero-padded).
 * Each distinct rendered prefix (e.g. `KH2024`) has its own sequence, which never goes back.
 */
export interface NumberPattern {
  pattern: string;
  seqWidth: number;
}

const PLACEHOLDER = /\{(YYYY|YY|MM|DD|SEQ(?::(\d{1,2}))?)\}/g;

export function parseNumberPattern(pattern: string): NumberPattern | { error: { zh: string; en: string } } {
  const seqs = [...pattern.matchAll(/\{SEQ(?::(\d{1,2}))?\}/g)];
  if (seqs.length !== 1) {
    return {
      error: { zh: '编号规则必须且只能包含一个 {SEQ:n}', en: 'The pattern must contain exactly one {SEQ:n}' },
    };
  }
  const leftover = pattern.replace(PLACEHOLDER, '');
  if (/[{}]/.test(leftover)) {
    return {
      error: {
        zh: '编号规则含未知占位符（可用 {YYYY} {YY} {MM} {DD} {SEQ:n}）',
        en: 'Unknown placeholder (use {YYYY} {YY} {MM} {DD} {SEQ:n})',
      },
    };
  }
  if (!/^[\p{L}\p{N}_\-./]*$/u.test(leftover)) {
    return {
      error: {
        zh: '编号规则只能包含字母、数字和 - _ . /',
        en: 'Only letters, digits and - _ . / may appear in a pattern',
      },
    };
  }
  const width = Number(seqs[0]?.[1] ?? 4);
  if (width < 1 || width > 12) {
    return { error: { zh: '序号位数须在 1 到 12 之间', en: 'The sequence width must be between 1 and 12' } };
  }
  return { pattern, seqWidth: width };
}

/** The pattern with its date parts filled in and `{SEQ}` left: the key of the sequence to draw from. */
export function sequenceScope(pattern: NumberPattern, date: string): string {
  const [yyyy = '', mm = '', dd = ''] = date.split('-');
  return pattern.pattern.replace(PLACEHOLDER, (_whole, name: string) => {
    if (name === 'YYYY') return yyyy;
    if (name === 'YY') return yyyy.slice(2);
    if (name === 'MM') return mm;
    if (name === 'DD') return dd;
    return '{SEQ}';
  });
}

export function renderNumber(scope: string, pattern: NumberPattern, seq: number): string {
  return scope.replace('{SEQ}', String(seq).padStart(pattern.seqWidth, '0'));
}

export const DEFAULT_NUMBER_PATTERN = 'KH{YYYY}{SEQ:5}';
