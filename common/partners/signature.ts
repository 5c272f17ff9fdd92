/**
 * The partner protocol's signature, shared by fangpin and every partner (insurers, the bank, data sources).
 *
 *   signed payload = `${timestamp}.${rawBody}`                 (timestamp: Unix seconds, rawBody: the exact bytes sent)
 *   signature      = hex(HMAC-SHA256(secret, signed payload))
 *   header         Fangpin-Signature: t=<timestamp>,v1=<signature>[,v1=<signature under the second key>]
 *   header         Fangpin-Delivery-Id: <unique id of this delivery; a retry of the same message reuses it>
 *
 * Each partner has up to two active secrets so keys can rotate: a sender signs with every active secret, a receiver
 * accepts a message when any signature matches any of its active secrets, and when the timestamp lies within the replay
 * window (default 5 minutes). Repeated deliveries are recognized by their delivery id (the receiver's store decides).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Fangpin-Signature';
export const DELIVERY_ID_HEADER = 'Fangpin-Delivery-Id';
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

export type VerificationFailure =
  'MISSING_SIGNATURE' | 'MALFORMED_SIGNATURE' | 'TIMESTAMP_OUT_OF_WINDOW' | 'BAD_SIGNATURE' | 'MISSING_DELIVERY_ID';

export type VerificationResult =
  | { ok: true; timestamp: number; /** the index in `secrets` of the newest secret that matched */ secretIndex: number }
  | { ok: false; failure: VerificationFailure; message: string };

/**
 * A key's public name: `k_` and the first 10 hex digits of the SHA-256 of the secret. Both sides can compute it, so ops
 * and a partner can say which key signed a message without ever showing the secret.
 */
export const keyIdOf = (secret: string): string => `k_${createHash('sha256').update(secret).digest('hex').slice(0, 10)}`;

export function computeSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The Fangpin-Signature header value, signed with every active secret. */
export function signatureHeader(secrets: readonly string[], timestamp: number, rawBody: string | Buffer): string {
  if (secrets.length === 0) throw new Error('no signing secret configured');
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${computeSignature(s, timestamp, rawBody)}`)].join(',');
}

export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

export interface VerifyOptions {
  header: string | undefined;
  rawBody: string | Buffer;
  secrets: readonly string[];
  /** Unix seconds. */
  now: number;
  replayWindowSeconds?: number;
}

export function verifySignature({
  header,
  rawBody,
  secrets,
  now,
  replayWindowSeconds = DEFAULT_REPLAY_WINDOW_SECONDS,
}: VerifyOptions): VerificationResult {
  if (!header) return { ok: false, failure: 'MISSING_SIGNATURE', message: `the ${SIGNATURE_HEADER} header is missing` };
  const parsed = parseSignatureHeader(header);
  if (!parsed)
    return {
      ok: false,
      failure: 'MALFORMED_SIGNATURE',
      message: `the ${SIGNATURE_HEADER} header must look like t=<unix seconds>,v1=<hex>`,
    };
  if (Math.abs(now - parsed.timestamp) > replayWindowSeconds) {
    return {
      ok: false,
      failure: 'TIMESTAMP_OUT_OF_WINDOW',
      message: `the timestamp is more than ${replayWindowSeconds} s from the receiver's clock`,
    };
  }
  // secrets are listed oldest first: the newest one that matches is named (a sender signing with both is switching)
  const matches = (secret: string) => {
    const expected = Buffer.from(computeSignature(secret, parsed.timestamp, rawBody), 'hex');
    return parsed.signatures.some((s) => timingSafeEqual(expected, Buffer.from(s, 'hex')));
  };
  let secretIndex = secrets.length - 1;
  while (secretIndex >= 0 && !matches(secrets[secretIndex]!)) secretIndex--;
  return secretIndex >= 0
    ? { ok: true, timestamp: parsed.timestamp, secretIndex }
    : { ok: false, failure: 'BAD_SIGNATURE', message: 'no signature matches an active key' };
}

export const unixSeconds = (date: Date = new Date()): number => Math.floor(date.getTime() / 1000);
