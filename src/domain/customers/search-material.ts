import { pinyin } from 'pinyin-pro';
import { phoneSearchDigits } from './normalize-phone.js';

export interface SearchSource {
  name: string;
  company?: string | null;
  phone?: string | null;
  email?: string | null;
  contacts?: readonly { name: string; phone?: string | null; email?: string | null }[];
}

export interface SearchMaterial {
  /** Lower-case, space-separated tokens: matched with `LIKE '%q%'` through a trigram index. */
  text: string;
  /** 1- and 2-character pieces of names and initials: matched exactly for queries under 3 characters. */
  grams: string[];
}

const HAN = /\p{Script=Han}/u;

function compact(value: string): string {
  return value.toLowerCase().replace(/\s+/g, '');
}

/** Full pinyin and initials of a text with Chinese characters; surname readings for person names. */
function pinyinForms(
  value: string,
  isPersonName: boolean,
): { full: string; initials: string; syllables: string[] } {
  if (!HAN.test(value)) return { full: '', initials: '', syllables: [] };
  const syllables = pinyin(value, {
    toneType: 'none',
    type: 'array',
    surname: isPersonName ? 'head' : 'off',
    nonZh: 'removed',
    v: true,
  }).map((s) => s.toLowerCase());
  return { full: syllables.join(''), initials: syllables.map((s) => s[0] ?? '').join(''), syllables };
}

function addPieces(into: Set<string>, value: string) {
  const chars = Array.from(value);
  for (let i = 0; i < chars.length; i++) {
    into.add(chars[i] as string);
    if (i + 1 < chars.length) into.add(`${chars[i]}${chars[i + 1]}`);
  }
}

/**
 * Builds what the customer search matches: 张三 is found by `张`, `张三`, `zhangsan`, `zs`, `zhang`;
 * a phone by any run of its digits; an e-mail by any part of it.
 */
export function buildSearchMaterial(source: SearchSource): SearchMaterial {
  const tokens = new Set<string>();
  const grams = new Set<string>();
  const addName = (value: string | null | undefined, isPersonName: boolean) => {
    if (!value) return;
    const plain = compact(value);
    if (!plain) return;
    tokens.add(plain);
    addPieces(grams, plain);
    const forms = pinyinForms(value, isPersonName);
    if (forms.full) {
      tokens.add(forms.full);
      tokens.add(forms.initials);
      addPieces(grams, forms.initials);
      for (const syllable of forms.syllables) {
        grams.add(syllable.slice(0, 1));
        if (syllable.length > 1) grams.add(syllable.slice(0, 2));
      }
    }
  };
  addName(source.name, !source.company || source.company !== source.name);
  addName(source.company, false);
  const addPhone = (phone: string | null | undefined) => {
    if (phone) tokens.add(phoneSearchDigits(phone));
  };
  const addEmail = (email: string | null | undefined) => {
    if (email) tokens.add(email.toLowerCase());
  };
  addPhone(source.phone);
  addEmail(source.email);
  for (const contact of source.contacts ?? []) {
    addName(contact.name, true);
    addPhone(contact.phone);
    addEmail(contact.email);
  }
  return { text: Array.from(tokens).join(' '), grams: Array.from(grams) };
}

export type SearchQuery =
  | { kind: 'text'; pattern: string }
  | { kind: 'grams'; gram: string }
  | { kind: 'none' };

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Turns what a user typed in the search box into a match: a phone in any format becomes its
 * national digits (`+86 138-0013-8000` → `13800138000`); spaces are dropped (`zhang san`).
 */
export function parseSearchQuery(input: string): SearchQuery {
  const trimmed = input.trim().toLowerCase();
  if (!trimmed) return { kind: 'none' };
  let needle = compact(trimmed);
  if (/^[+\d\s\-().]+$/.test(trimmed) && /\d{3}/.test(trimmed.replace(/\D/g, ''))) {
    needle = trimmed.replace(/\D/g, '');
    if (trimmed.startsWith('+86') || (needle.startsWith('86') && needle.length === 13))
      needle = needle.slice(2);
  }
  if (Array.from(needle).length < 3) return { kind: 'grams', gram: needle };
  return { kind: 'text', pattern: `%${escapeLike(needle)}%` };
}
