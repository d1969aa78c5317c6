import { describe, expect, it } from 'vitest';
import { formatPhone, normalizePhone, phoneSearchDigits } from './normalize-phone.js';

describe('normalizePhone', () => {
  it.each([
    '13800138000',
    '138 0013 8000',
    '138-0013-8000',
    '+86 138 0013 8000',
    '+86-138-0013-8000',
    '+8613800138000',
    '008613800138000',
    ' 138 0013 8000 ',
  ])('reads the mobile %s as +8613800138000', (input) => {
    expect(normalizePhone(input)).toBe('+8613800138000');
  });

  it.each(['010-6552 9988', '(010) 6552 9988', '（010）65529988', '010.6552.9988'])(
    'reads the Beijing landline %s as +861065529988',
    (input) => {
      expect(normalizePhone(input)).toBe('+861065529988');
    },
  );

  it('keeps a foreign number with its own country code', () => {
    expect(normalizePhone('+1 202 555 0143')).toBe('+12025550143');
    expect(normalizePhone('+852 9123 4567')).toBe('+85291234567');
  });

  it.each(['', '12345', 'abc', '138 0013 800', '138001380001', '13800138000 ext', 'tel:13800138000'])(
    'refuses %j',
    (input) => {
      expect(normalizePhone(input)).toBeUndefined();
    },
  );
});

describe('phoneSearchDigits', () => {
  it('gives the national digits of a Chinese mobile', () => {
    expect(phoneSearchDigits('+8613800138000')).toBe('13800138000');
  });

  it('gives a Chinese landline with its area code as users dial it', () => {
    expect(phoneSearchDigits('+861065529988')).toContain('01065529988');
  });

  it('gives the digits with country code of a foreign number', () => {
    expect(phoneSearchDigits('+12025550143')).toBe('12025550143');
  });
});

describe('formatPhone', () => {
  it('shows a Chinese mobile in national groups', () => {
    expect(formatPhone('+8613800138000')).toBe('138 0013 8000');
  });

  it('shows a foreign number internationally', () => {
    expect(formatPhone('+12025550143')).toBe('+1 202 555 0143');
  });
});
