import express from 'express';
import { notFoundHandler, problemHandler } from '../../common/http/problem';
import { createLogger } from '../../common/logger';
import { jsonKeepingRawBody, requireSignature, type SignedRequest } from '../../common/partners/receiver';
import { listen, type RunningSim } from '../../sim/common';
import { pinoHttp } from 'pino-http';

export interface ReceivedCallback {
  path: string;
  deliveryId: string;
  body: unknown;
}

/**
 * Stands in for fangpin's partner endpoints in simulator tests: verifies signatures with the real receiver middleware
 * and records every verified delivery (repeats included). Unverified ones are answered 401 and counted.
 */
export async function startCallbackReceiver(
  secrets: string[],
): Promise<RunningSim & { received: ReceivedCallback[]; rejected: () => number }> {
  const received: ReceivedCallback[] = [];
  let rejected = 0;
  const app = express();
  app.use(pinoHttp({ logger: createLogger({ level: 'silent' }) }));
  app.use(jsonKeepingRawBody('1mb'));
  app.post(
    '/partners/*path',
    (req, res, next) => {
      res.on('finish', () => {
        if (res.statusCode === 401) rejected += 1;
      });
      next();
    },
    requireSignature(() => secrets, { replayWindowSeconds: 300 }),
    (req, res) => {
      received.push({ path: req.path, deliveryId: (req as SignedRequest).deliveryId!, body: req.body });
      res.json({ ok: true });
    },
  );
  app.use(notFoundHandler);
  app.use(problemHandler);
  const running = await listen(app, 0);
  return { ...running, received, rejected: () => rejected };
}
