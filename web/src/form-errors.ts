import type { FormInstance } from 'antd';
import { ApiError } from './api';
import { type Lang, pickBilingual } from './i18n';
import type { FieldError } from './types';

/**
 * Puts the server's `details` on the matching form fields. `known` lists the form's field
 * paths (`phone`, `custom.level`); a deeper server path such as `tags.2` lands on `tags`.
 * Returns the errors no field could show, so the caller can display them another way.
 */
export function applyFieldErrors(
  form: FormInstance,
  cause: unknown,
  known: ReadonlySet<string>,
  lang: Lang,
): FieldError[] {
  if (!(cause instanceof ApiError)) return [];
  const byPath = new Map<string, string[]>();
  const unplaced: FieldError[] = [];
  for (const issue of cause.fieldErrors) {
    const path = closestKnownPath(issue.field, known);
    if (!path) {
      unplaced.push(issue);
      continue;
    }
    const list = byPath.get(path) ?? [];
    list.push(pickBilingual(issue.message, lang));
    byPath.set(path, list);
  }
  form.setFields([...byPath].map(([path, errors]) => ({ name: path.split('.'), errors })));
  const first = byPath.keys().next();
  if (!first.done) form.scrollToField(first.value.split('.'), { block: 'center' });
  return unplaced;
}

function closestKnownPath(field: string, known: ReadonlySet<string>): string | null {
  const parts = field.split(/[.[\]]+/).filter(Boolean);
  for (let n = parts.length; n > 0; n--) {
    const path = parts.slice(0, n).join('.');
    if (known.has(path)) return path;
  }
  return null;
}
