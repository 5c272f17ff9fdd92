import { createPiiCipher } from '../../common/crypto/pii';

const KEY = 'ab'.repeat(32);

describe('PII cipher (AES-256-GCM + keyed lookup hash)', () => {
  const pii = createPiiCipher(KEY);

  test('when a value is encrypted, then it decrypts back and never shows in the stored form', () => {
    const stored = pii.encrypt('11010519491231002X');
    expect(stored).toMatch(/^enc:v1:/);
    expect(stored).not.toContain('11010519491231002X');
    expect(pii.decrypt(stored)).toBe('11010519491231002X');
  });

  test('the same value encrypts differently each time (random IV), but hashes the same', () => {
    expect(pii.encrypt('6217000010001234567')).not.toBe(pii.encrypt('6217000010001234567'));
    expect(pii.lookupHash('6217000010001234567')).toBe(pii.lookupHash('6217000010001234567'));
    expect(pii.lookupHash('6217000010001234567')).not.toBe(createPiiCipher('cd'.repeat(32)).lookupHash('6217000010001234567'));
  });

  test('when the stored value is tampered with or read with another key, then decryption fails', () => {
    const stored = pii.encrypt('13912345678');
    const parts = stored.split(':');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => pii.decrypt(parts.join(':'))).toThrow();
    expect(() => createPiiCipher('cd'.repeat(32)).decrypt(stored)).toThrow();
  });

  test('when the key is not 32 bytes of hex, then the cipher refuses to start', () => {
    expect(() => createPiiCipher('short')).toThrow(/64 hex/);
  });
});
