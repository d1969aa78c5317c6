import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of personal fields at rest (AES-256-GCM) and keyed blind indexes (HMAC-SHA256) for
 * exact-match search without storing plaintext. Keys are derived from one master key with HKDF,
 * so one secret (CLIENTELE_MASTER_KEY or the key file) protects everything.
 *
 * Ciphertext format: `v1:<keyId>:<base64 iv|tag|ciphertext>`; the key id lets a rotation
 * re-encrypt old values while both keys are known.
 */
export interface FieldKeyring {
  /** Id of the key new values are encrypted with. */
  readonly currentKeyId: string;
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  /** Keyed hash of an already normalised value (phone E.164, lower-case e-mail). */
  blindIndex(kind: string, normalised: string): string;
  /** True when the value was encrypted with an older key and should be re-encrypted. */
  isStale(ciphertext: string): boolean;
}

/** A short, stable id of a master key: the first bytes of an HMAC, never the key itself. */
export function keyIdOf(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update('clientele key id').digest('hex').slice(0, 12);
}

function derive(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `clientele ${purpose}`, 32));
}

/**
 * Builds the keyring from the current master key and, during a rotation, older ones that may
 * still decrypt stored values. Blind indexes always use the current key.
 */
export function createFieldKeyring(masterKey: Buffer, previousKeys: readonly Buffer[] = []): FieldKeyring {
  if (masterKey.length < 32) throw new Error('The master key must be at least 32 bytes');
  const encryptionKeys = new Map<string, Buffer>();
  for (const key of [masterKey, ...previousKeys])
    encryptionKeys.set(keyIdOf(key), derive(key, 'field encryption'));
  const currentKeyId = keyIdOf(masterKey);
  const currentKey = encryptionKeys.get(currentKeyId) as Buffer;
  const indexKey = derive(masterKey, 'blind index');
  return {
    currentKeyId,
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `v1:${currentKeyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(ciphertext) {
      const [version, keyId, payload] = ciphertext.split(':');
      const key = keyId ? encryptionKeys.get(keyId) : undefined;
      if (version !== 'v1' || !key || !payload) throw new Error('Cannot decrypt: unknown key or format');
      const raw = Buffer.from(payload, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(kind, normalised) {
      return createHmac('sha256', indexKey).update(`${kind}:${normalised}`).digest('base64url').slice(0, 32);
    },
    isStale(ciphertext) {
      return !ciphertext.startsWith(`v1:${currentKeyId}:`);
    },
  };
}
