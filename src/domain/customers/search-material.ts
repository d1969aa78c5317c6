import { pinyin } from 'pinyin-pro';
import { normalizePhone } from './normalize-phone.js';

export interface SearchSource {
  name: string;
  company?: string | null;
  contacts?: readonly { name: string }[];
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
 * phones and e-mails are not here: they are encrypted and searched by blind index.
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
  for (const contact of source.contacts ?? []) {
    addName(contact.name, true);
  }
  return { text: Array.from(tokens).join(' '), grams: Array.from(grams) };
}

export type SearchQuery =
  | { kind: 'text'; pattern: string }
  | { kind: 'grams'; gram: string }
  | { kind: 'phone'; e164: string }
  | { kind: 'email'; email: string }
  | { kind: 'none' };

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Turns what a user typed in the search box into a match. Phones and e-mails are stored encrypted,
 * so they are found by their whole value through a blind index: a phone in any format
 * (`+86 138-0013-8000`, `010-6552 9988`) becomes E.164 first. Other text matches names, company,
 * contacts, pinyin and initials as a substring; spaces are dropped (`zhang san`).
 */
export function parseSearchQuery(input: string): SearchQuery {
  const trimmed = input.trim().toLowerCase();
  if (!trimmed) return { kind: 'none' };
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) return { kind: 'email', email: trimmed };
  if (/^[+\d\s\-().]+$/.test(trimmed) && trimmed.replace(/\D/g, '').length >= 7) {
    const e164 = normalizePhone(trimmed);
    if (e164) return { kind: 'phone', e164 };
  }
  const needle = compact(trimmed);
  if (Array.from(needle).length < 3) return { kind: 'grams', gram: needle };
  return { kind: 'text', pattern: `%${escapeLike(needle)}%` };
}
