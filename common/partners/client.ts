import { randomUUID } from 'node:crypto';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, signatureHeader, unixSeconds } from './signature';

export interface SignedPostOptions {
  url: string;
  body: unknown;
  secrets: readonly string[];
  /** Reuse the same id when retrying the same message: that is how the receiver recognizes a repeat. */
  deliveryId?: string;
  timeoutMs?: number;
  /** Unix seconds; for tests of the replay window. */
  timestamp?: number;
  /** More headers (the W3C trace context of the call). */
  headers?: Record<string, string>;
}

export interface SignedPostResult {
  status: number;
  body: unknown;
  deliveryId: string;
}

/** POSTs a JSON message signed with the partner protocol. Network errors and timeouts throw; HTTP statuses do not. */
export async function postSigned({
  url,
  body,
  secrets,
  deliveryId = randomUUID(),
  timeoutMs = 10_000,
  timestamp = unixSeconds(),
  headers = {},
}: SignedPostOptions): Promise<SignedPostResult> {
  const raw = JSON.stringify(body);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      ...headers,
      'Content-Type': 'application/json',
      [SIGNATURE_HEADER]: signatureHeader(secrets, timestamp, raw),
      [DELIVERY_ID_HEADER]: deliveryId,
    },
    body: raw,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await bodyOf(response), deliveryId };
}

/** A partner's answer: its JSON, or its text when it is not JSON, or undefined when empty. */
export async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return text;
  }
}
