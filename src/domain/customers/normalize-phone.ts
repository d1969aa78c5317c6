import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Normalises a phone number typed in any common form (`138 0013 8000`, `138-0013-8000`,
 * `+86 13800138000`, `(010) 6552 9988`) to E.164 (`+8613800138000`). Numbers without a country
 * code are read as Chinese. Returns undefined when the input is not a valid number.
 */
export function normalizePhone(input: string, defaultCountry: 'CN' = 'CN'): string | undefined {
  const trimmed = input.trim().replace(/^00/, '+').replace(/[（]/g, '(').replace(/[）]/g, ')');
  if (!/^[+\d\s\-().]{5,}$/.test(trimmed)) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}

/**
 * The digits a user would type to find a stored E.164 number: for China the number as dialled at
 * home — a mobile without prefix (`13800138000`), a landline with its area code (`01065529988`);
 * any run of them (`1065529988`, `65529988`) then matches too. Other countries: with country code.
 */
export function phoneSearchDigits(e164: string): string {
  if (!e164.startsWith('+86')) return e164.replace(/^\+/, '');
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatNational().replace(/\D/g, '') : e164.slice(3);
}

/** Formats a stored number for display: `138 0013 8000` for Chinese mobiles, international otherwise. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === '86' ? parsed.formatNational() : parsed.formatInternational();
}
