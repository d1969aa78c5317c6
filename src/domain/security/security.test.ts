import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldKeyring } from './field-crypto.js';
import { maskEmail, maskPersonal, maskPhone, maskText } from './masking.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { can, roleSpecs, roles } from './roles.js';

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterz', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password!')).not.toBe(await hashPassword('same password!'));
  });

  it('asks for at least ten characters', () => {
    expect(passwordProblem('short')).toBeDefined();
    expect(passwordProblem('long enough pw')).toBeUndefined();
  });
});

describe('field encryption', () => {
  const master = randomBytes(32);
  const keyring = createFieldKeyring(master);

  it('round-trips and never shows the plaintext', () => {
    const secret = keyring.encrypt('+8613800138000');
    expect(secret).not.toContain('13800138000');
    expect(Buffer.from(secret.split(':')[2] ?? '', 'base64').toString('latin1')).not.toContain('13800138000');
    expect(keyring.decrypt(secret)).toBe('+8613800138000');
  });

  it('gives a different ciphertext each time and detects tampering', () => {
    const a = keyring.encrypt('王小明');
    expect(keyring.encrypt('王小明')).not.toBe(a);
    const raw = Buffer.from(a.split(':')[2] ?? '', 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    const tampered = `${a.split(':').slice(0, 2).join(':')}:${raw.toString('base64')}`;
    expect(() => keyring.decrypt(tampered)).toThrow();
  });

  it('computes stable blind indexes that depend on the key and the kind', () => {
    expect(keyring.blindIndex('phone', '+8613800138000')).toBe(keyring.blindIndex('phone', '+8613800138000'));
    expect(keyring.blindIndex('email', '+8613800138000')).not.toBe(
      keyring.blindIndex('phone', '+8613800138000'),
    );
    expect(createFieldKeyring(randomBytes(32)).blindIndex('phone', '+8613800138000')).not.toBe(
      keyring.blindIndex('phone', '+8613800138000'),
    );
  });

  it('decrypts old values during a rotation and marks them stale', () => {
    const old = keyring.encrypt('wang@example.com');
    const rotated = createFieldKeyring(randomBytes(32), [master]);
    expect(rotated.decrypt(old)).toBe('wang@example.com');
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.encrypt('x'))).toBe(false);
    expect(() => createFieldKeyring(randomBytes(32)).decrypt(old)).toThrow();
  });
});

describe('masking', () => {
  it('masks phones as 138****5678', () => {
    expect(maskPhone('+8613812345678')).toBe('138****5678');
    expect(maskPhone('+861065529988')).toBe('106****9988');
  });
  it('masks e-mail keeping the first letter and the domain', () => {
    expect(maskEmail('wang@example.com')).toBe('w***@example.com');
  });
  it('masks other text after the first character', () => {
    expect(maskText('wxid_abc123')).toBe('w******');
    expect(maskPersonal('address', '杭州市西湖区')).toBe('杭*****');
  });
});

describe('roles', () => {
  it('lets every role read and keeps the analyst read-only', () => {
    for (const role of roles) expect(can(role, 'customers.read')).toBe(true);
    expect(roleSpecs.analyst.permissions).toEqual(['customers.read', 'tiers.read']);
    expect(can('analyst', 'customers.write')).toBe(false);
  });
  it('gives sales their own customers and admins everything', () => {
    expect(roleSpecs.sales.scope).toBe('own');
    expect(roleSpecs.admin.scope).toBe('all');
    expect(can('marketing', 'personal.view')).toBe(false);
  });
});
