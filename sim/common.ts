/**
 * What every simulator shares: an Express app that keeps raw bodies for signatures and answers problem+json, a
 * listener on loopback, a store of seen delivery ids, and a callback sender that retries with backoff.
 */
import { stopWithSupervisor } from '../common/shutdown';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import { notFoundHandler, problemHandler } from '../common/http/problem';
import { createLogger, type Logger } from '../common/logger';
import { postSigned } from '../common/partners/client';
import { jsonKeepingRawBody, requireSignature, type SignedRequest } from '../common/partners/receiver';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, unixSeconds } from '../common/partners/signature';
import { pinoHttp } from 'pino-http';

export function createSimApp(logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger, autoLogging: false }));
  app.use(jsonKeepingRawBody('1mb'));
  // the W3C trace context callers sent, as a partner's own tracing would see it (the last 200, for tests)
  const seen: string[] = [];
  app.locals.traceparents = seen;
  app.use((req, _res, next) => {
    const traceparent = req.get('traceparent');
    if (traceparent && seen.push(traceparent) > 200) seen.shift();
    next();
  });
  return app;
}

/** The `traceparent` headers a simulator received, newest last. */
export const traceparentsSeen = (app: Express): readonly string[] => app.locals.traceparents as string[];

/** Adds the 404 and problem+json handlers; call after the routes. */
export function finishSimApp(app: Express): Express {
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}

export interface RunningSim {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(app: Express, port: number, host = '127.0.0.1'): Promise<RunningSim> {
  const server: Server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function simLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return createLogger({ level, name });
}

/**
 * Deliberate protocol violations a simulator can be told to commit (`breaks` in its config), so the conformance kit's
 * tests can show each check catches what it is for. Never set outside those tests.
 */
export const SIGNATURE_BREAKS = ['accept_unsigned', 'accept_any_signature', 'ignore_timestamp'] as const;
export const CALLBACK_BREAKS = ['new_delivery_id_on_retry', 'no_retry', 'stale_timestamp', 'bad_signature'] as const;
export type SignatureBreak = (typeof SIGNATURE_BREAKS)[number];
export type CallbackBreak = (typeof CALLBACK_BREAKS)[number];
/** The breaks of a simulator's list that concern its callbacks. */
export const callbackBreaksOf = (breaks: readonly string[]): CallbackBreak[] =>
  breaks.filter((b): b is CallbackBreak => (CALLBACK_BREAKS as readonly string[]).includes(b));

/** The simulator's signature check: the protocol's, unless a break says to let some bad messages through. */
export function simSignatureCheck(
  current: () => { secrets: readonly string[]; replayWindowSeconds: number; breaks: readonly string[] },
): RequestHandler {
  return (req, res, next) => {
    const { secrets, replayWindowSeconds, breaks } = current();
    const signed = req.get(SIGNATURE_HEADER) !== undefined;
    if ((breaks.includes('accept_unsigned') && !signed) || (breaks.includes('accept_any_signature') && signed)) {
      (req as SignedRequest).deliveryId = req.get(DELIVERY_ID_HEADER) ?? randomUUID();
      return next();
    }
    const window = breaks.includes('ignore_timestamp') ? 1e9 : replayWindowSeconds;
    return requireSignature(() => secrets, { replayWindowSeconds: window })(req, res, next);
  };
}

export interface CallbackAttempt {
  deliveryId: string;
  url: string;
  status: number | 'network_error';
  at: string;
}

export interface CallbackOptions {
  url: string;
  body: unknown;
  secrets: readonly string[];
  deliveryId?: string;
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onAttempt?: (attempt: CallbackAttempt) => void;
  isStopped?: () => boolean;
  /** The body of each attempt (1, 2, …), when it must differ from `body` (a broken sender's). */
  bodyFor?: (attempt: number) => unknown;
  breaks?: readonly CallbackBreak[];
}

/**
 * Delivers a signed callback, retrying network errors, 5xx, 408 and 429 with exponential backoff (the same delivery
 * id each time, as the protocol asks). Other 4xx are final. Resolves with the last status.
 */
export async function deliverCallback({
  url,
  body,
  secrets,
  deliveryId,
  maxAttempts = 8,
  initialBackoffMs = 200,
  maxBackoffMs = 5_000,
  onAttempt,
  isStopped = () => false,
  bodyFor,
  breaks = [],
}: CallbackOptions): Promise<number | 'network_error'> {
  const firstId = deliveryId ?? randomUUID();
  let backoff = initialBackoffMs;
  let last: number | 'network_error' = 'network_error';
  const attempts = breaks.includes('no_retry') ? 1 : maxAttempts;
  const signing = breaks.includes('bad_signature') ? ['not-the-shared-secret-at-all'] : secrets;
  for (let attempt = 1; attempt <= attempts && !isStopped(); attempt++) {
    const id = attempt > 1 && breaks.includes('new_delivery_id_on_retry') ? randomUUID() : firstId;
    const timestamp = unixSeconds() - (breaks.includes('stale_timestamp') ? 3_600 : 0);
    try {
      last = (
        await postSigned({
          url,
          body: bodyFor ? bodyFor(attempt) : body,
          secrets: signing,
          deliveryId: id,
          timeoutMs: 10_000,
          timestamp,
        })
      ).status;
    } catch {
      last = 'network_error';
    }
    onAttempt?.({ deliveryId: id, url, status: last, at: new Date().toISOString() });
    const retryable = last === 'network_error' || last >= 500 || last === 408 || last === 429;
    if (!retryable) return last;
    await delay(backoff);
    backoff = Math.min(maxBackoffMs, backoff * 2);
  }
  return last;
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Remembers the response given to each delivery id, so a repeated delivery gets the same answer and no new effect. */
export class DeliveryLog<T> {
  private readonly seen = new Map<string, T>();
  get(deliveryId: string): T | undefined {
    return this.seen.get(deliveryId);
  }
  remember(deliveryId: string, response: T): void {
    this.seen.set(deliveryId, response);
  }
}

/** The tail of every simulator's entry point: listen on loopback, say where, stop cleanly on SIGTERM/SIGINT. */
export async function serveSim(
  what: string,
  logger: Logger,
  sim: { app: Express; stop?: () => void },
  port: number,
  extra: object = {},
  host = process.env.SIM_HOST ?? '127.0.0.1', // 0.0.0.0 inside a container
): Promise<void> {
  const running = await listen(sim.app, port, host);
  logger.info({ url: running.url, ...extra }, `${what} listening`);
  const stop = () => {
    sim.stop?.();
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  stopWithSupervisor();
}
