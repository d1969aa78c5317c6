/**
 * Masks personal values for people without the "view personal data" permission, keeping just
 * enough to recognise a customer on the phone: `138****5678`, `w***@example.com`.
 */
export function maskPhone(e164: string): string {
  const digits = e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
  if (digits.length <= 4) return '****';
  const head = digits.slice(0, Math.min(3, digits.length - 4));
  return `${head}****${digits.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** WeChat ids, QQ numbers, addresses and personal custom fields: first character, then stars. */
export function maskText(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 1) return '*';
  return `${chars[0]}${'*'.repeat(Math.min(6, chars.length - 1))}`;
}

export type PersonalField = 'phone' | 'email' | 'wechat' | 'qq' | 'address';

export function maskPersonal(field: PersonalField, value: string): string {
  if (field === 'phone') return maskPhone(value);
  if (field === 'email') return maskEmail(value);
  return maskText(value);
}
