import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createFieldKeyring, type FieldKeyring } from '../../domain/security/field-crypto.js';

/** The key file: the current master key and, during a rotation, the previous ones. */
interface KeyFile {
  current: string;
  previous: string[];
}

export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64,}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length < 32) {
    throw new Error(
      'CLIENTELE_MASTER_KEY 须为至少 32 字节（base64 或 hex） / must be at least 32 bytes, base64 or hex',
    );
  }
  return key;
}

function readKeyFile(file: string): KeyFile {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  if (typeof parsed.current !== 'string' || !Array.isArray(parsed.previous))
    throw new Error(`Bad key file ${file}`);
  return parsed;
}

function writeKeyFile(file: string, content: KeyFile, exclusive: boolean) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  if (exclusive && fs.existsSync(file)) {
    fs.rmSync(temp);
    return;
  }
  // Rename is atomic: a crash leaves the old file or the new one, never half of one.
  fs.renameSync(temp, file);
}

/**
 * The keyring for personal data: from CLIENTELE_MASTER_KEY, or from the key file, which is
 * created (0600) with a random key on first start.
 */
export function loadKeyring(options: { masterKey?: string; keyFile: string }): FieldKeyring {
  if (options.masterKey) return createFieldKeyring(parseMasterKey(options.masterKey));
  if (!fs.existsSync(options.keyFile)) {
    writeKeyFile(options.keyFile, { current: randomBytes(32).toString('base64'), previous: [] }, true);
  }
  const content = readKeyFile(options.keyFile);
  return createFieldKeyring(
    Buffer.from(content.current, 'base64'),
    content.previous.map((key) => Buffer.from(key, 'base64')),
  );
}

/** Step 1 of a rotation: a new current key, the old one kept to decrypt until re-encryption is done. */
export function beginKeyRotation(keyFile: string): FieldKeyring {
  const content = readKeyFile(keyFile);
  const next: KeyFile = {
    current: randomBytes(32).toString('base64'),
    previous: [content.current, ...content.previous],
  };
  writeKeyFile(keyFile, next, false);
  return loadKeyring({ keyFile });
}

/** Step 3 of a rotation, after everything was re-encrypted: forget the old keys. */
export function finishKeyRotation(keyFile: string): void {
  const content = readKeyFile(keyFile);
  writeKeyFile(keyFile, { current: content.current, previous: [] }, false);
}
