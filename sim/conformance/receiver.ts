/**
 * The kit's stand-in for fangpin's partner endpoints: records every message the partner posts (headers, exact bytes,
 * what the signature check found) and answers the first delivery of each delivery id with 503, so the partner must
 * retry it as the protocol asks. Nothing is refused here: the checks judge what was recorded.
 */
import express from 'express';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, unixSeconds, verifySignature } from '../../common/partners/signature';
import { listen, type RunningSim } from '../common';

export interface RecordedMessage {
  path: string;
  deliveryId: string | undefined;
  rawBody: string;
  body: unknown;
  /** 'ok' or the verification failure (MISSING_SIGNATURE, BAD_SIGNATURE, TIMESTAMP_OUT_OF_WINDOW…). */
  signature: string;
  receivedAt: number;
  /** The status this delivery was answered with. */
  answered: number;
}

const DELIVERY_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export interface KitReceiver extends RunningSim {
  messages: RecordedMessage[];
  /** Messages at a path (e.g. /partners/bank/payouts). */
  at(path: string | RegExp): RecordedMessage[];
}

export async function startKitReceiver({
  secrets,
  replayWindowSeconds = 300,
  port = 0,
  answer = () => ({ outcome: 'applied' }),
}: {
  secrets: readonly string[];
  replayWindowSeconds?: number;
  port?: number;
  /** The body answered once a delivery is taken (fangpin answers an outcome). */
  answer?: (body: unknown) => unknown;
}): Promise<KitReceiver> {
  const messages: RecordedMessage[] = [];
  const seen = new Set<string>();
  const app = express();
  app.disable('x-powered-by');
  app.use(express.raw({ type: () => true, limit: '1mb' }));
  app.post('/partners/*path', (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    let body: unknown;
    try {
      body = JSON.parse(rawBody) as unknown;
    } catch {
      body = undefined;
    }
    const verified = verifySignature({
      header: req.get(SIGNATURE_HEADER),
      rawBody,
      secrets,
      now: unixSeconds(),
      replayWindowSeconds,
    });
    const deliveryId = req.get(DELIVERY_ID_HEADER);
    const signature = !verified.ok
      ? verified.failure
      : !deliveryId || !DELIVERY_ID.test(deliveryId)
        ? 'MISSING_DELIVERY_ID'
        : 'ok';
    const first = deliveryId !== undefined && !seen.has(deliveryId);
    if (deliveryId) seen.add(deliveryId);
    const status = signature !== 'ok' ? 401 : first ? 503 : 200;
    messages.push({ path: req.path, deliveryId, rawBody, body, signature, receivedAt: Date.now(), answered: status });
    if (status === 503) return void res.status(503).set('Retry-After', '1').json({ title: 'try again (conformance kit)' });
    if (status === 401) return void res.status(401).json({ title: 'signature refused', failure: signature });
    res.json(answer(body));
  });
  const running = await listen(app, port);
  return {
    ...running,
    messages,
    at: (path) => messages.filter((m) => (typeof path === 'string' ? m.path === path : path.test(m.path))),
  };
}
