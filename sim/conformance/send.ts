/** How the kit posts to a partner: properly signed, or broken in exactly one way the partner must refuse. */
import { randomUUID } from 'node:crypto';
import { bodyOf } from '../../common/partners/client';
import { newSecret } from '../../common/partners/registry';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, signatureHeader, unixSeconds } from '../../common/partners/signature';

export type Breakage = 'none' | 'unsigned' | 'wrong_key' | 'stale' | 'modified_body';

export interface Sent {
  status: number | 'network_error';
  body: unknown;
  deliveryId: string;
  /** The exact request, to replay it byte for byte. */
  request: { url: string; headers: Record<string, string>; raw: string };
}

export async function send({
  url,
  body,
  secrets,
  breakage = 'none',
  deliveryId = randomUUID(),
  replayWindowSeconds = 300,
  timeoutMs = 15_000,
}: {
  url: string;
  body: unknown;
  secrets: readonly string[];
  breakage?: Breakage;
  deliveryId?: string;
  replayWindowSeconds?: number;
  timeoutMs?: number;
}): Promise<Sent> {
  const raw = JSON.stringify(body);
  const timestamp = breakage === 'stale' ? unixSeconds() - 2 * replayWindowSeconds : unixSeconds();
  const signingSecrets = breakage === 'wrong_key' ? [newSecret()] : secrets;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', [DELIVERY_ID_HEADER]: deliveryId };
  if (breakage !== 'unsigned') headers[SIGNATURE_HEADER] = signatureHeader(signingSecrets, timestamp, raw);
  // the signature covers the original bytes; one character of the amount changes in transit
  const sentRaw =
    breakage === 'modified_body'
      ? raw.replace(/"proposedPayoutFen":(\d)/, '"proposedPayoutFen":9$1').replace(/"amountFen":(\d)/, '"amountFen":9$1')
      : raw;
  return replay({ url, headers, raw: sentRaw }, deliveryId, timeoutMs);
}

/** Sends a recorded request again, unchanged (a replay an attacker or a network could produce). */
export async function replay(request: Sent['request'], deliveryId: string, timeoutMs = 15_000): Promise<Sent> {
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.raw,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await bodyOf(response), deliveryId, request };
  } catch {
    return { status: 'network_error', body: undefined, deliveryId, request };
  }
}

export const describeStatus = (sent: Sent): string => (sent.status === 'network_error' ? 'no answer' : `HTTP ${sent.status}`);
