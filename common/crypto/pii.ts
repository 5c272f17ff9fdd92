/**
 * Personal data at rest: resident ID numbers, card numbers and phone numbers are stored encrypted with AES-256-GCM
 * (random 96-bit IV, authenticated), and looked up through a keyed hash (HMAC-SHA256 under a key derived from the same
 * secret), so the database never holds them in clear and equality search still works.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  isEncrypted(stored: string): boolean;
  /** A stable keyed hash for lookups (not reversible without the key). */
  lookupHash(plain: string): string;
  /** A whole file holding personal data (an uploaded roster): IV (12 bytes), tag (16), then the ciphertext. */
  encryptBytes(plain: Buffer): Buffer;
  decryptBytes(sealed: Buffer): Buffer;
}

/** `keyHex`: 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`. */
export function createPiiCipher(keyHex: string): PiiCipher {
  if (!/^[0-9a-f]{64}$/i.test(keyHex)) throw new Error('the PII key must be 64 hex characters (32 bytes)');
  const master = Buffer.from(keyHex, 'hex');
  const encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'fangpin pii encryption', 32));
  const macKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'fangpin pii lookup', 32));
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
    },
    decrypt(stored) {
      if (!stored.startsWith(PREFIX)) throw new Error('not an encrypted value');
      const [iv, tag, body] = stored.slice(PREFIX.length).split(':');
      if (!iv || !tag || body === undefined) throw new Error('malformed encrypted value');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    isEncrypted(stored) {
      return stored.startsWith(PREFIX);
    },
    lookupHash(plain) {
      return createHmac('sha256', macKey).update(plain).digest('hex');
    },
    encryptBytes(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptBytes(sealed) {
      if (sealed.length < 28) throw new Error('malformed encrypted file');
      const decipher = createDecipheriv('aes-256-gcm', encKey, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
  };
}
