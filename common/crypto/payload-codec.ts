/**
 * Encrypts every Temporal payload (workflow inputs, activity arguments and results, update and query payloads) with
 * AES-256-GCM under a key derived from PII_KEY, so workflow histories, which carry payout accounts and claim details,
 * are never stored in clear on the Temporal server. The API's client and the worker use the same codec.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const ENCODING_BYTES = new TextEncoder().encode(ENCODING);
const KEY_ID = 'fangpin-pii-v1';

export function createEncryptionCodec(piiKeyHex: string): PayloadCodec {
  if (!/^[0-9a-f]{64}$/i.test(piiKeyHex)) throw new Error('PII_KEY must be 64 hex characters');
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(piiKeyHex, 'hex'), Buffer.alloc(0), 'fangpin temporal payloads', 32));
  return {
    encode(payloads: Payload[]): Promise<Payload[]> {
      return Promise.resolve(
        payloads.map((payload) => {
          const plain = temporal.api.common.v1.Payload.encode(payload).finish();
          const iv = randomBytes(12);
          const cipher = createCipheriv('aes-256-gcm', key, iv);
          const body = Buffer.concat([cipher.update(plain), cipher.final()]);
          return {
            metadata: { encoding: ENCODING_BYTES, 'encryption-key-id': new TextEncoder().encode(KEY_ID) },
            data: Buffer.concat([iv, cipher.getAuthTag(), body]),
          };
        }),
      );
    },
    decode(payloads: Payload[]): Promise<Payload[]> {
      return Promise.resolve(
        payloads.map((payload) => {
          const encoding = payload.metadata?.encoding ? new TextDecoder().decode(payload.metadata.encoding) : undefined;
          if (encoding !== ENCODING || !payload.data) return payload; // written before encryption was on: pass through
          const data = Buffer.from(payload.data);
          const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
          decipher.setAuthTag(data.subarray(12, 28));
          const plain = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
          return temporal.api.common.v1.Payload.decode(plain);
        }),
      );
    },
  };
}
