import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../errors';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, unixSeconds, verifySignature } from './signature';

/** A request whose exact body bytes were kept for signature verification. */
export interface SignedRequest extends Request {
  rawBody?: Buffer;
  deliveryId?: string;
}

/** JSON body parser that keeps the raw bytes (signatures are over the bytes sent, not a re-serialization). */
export function jsonKeepingRawBody(limit: string): RequestHandler {
  return express.json({
    limit,
    verify: (req, _res, buf) => {
      (req as SignedRequest).rawBody = buf;
    },
  });
}

const DELIVERY_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Rejects a request unless it carries a valid partner signature under one of the partner's active secrets, a timestamp
 * inside the replay window and a well-formed delivery id. `secretsFor` returns undefined for an unknown partner.
 */
export function requireSignature(
  secretsFor: (req: Request) => readonly string[] | undefined,
  {
    replayWindowSeconds,
    now = () => unixSeconds(),
    observe = () => undefined,
  }: {
    replayWindowSeconds: number;
    now?: () => number;
    /** Told the result of each verification: 'ok' or the failure code (for metrics). */
    observe?: (result: string) => void;
  },
): RequestHandler {
  return (req, _res, next) => {
    const refuse = (failure: string, message: string) => {
      observe(failure);
      next(new AppError('UNAUTHENTICATED', message, { failure }));
    };
    const secrets = secretsFor(req);
    if (!secrets || secrets.length === 0) return refuse('UNKNOWN_PARTNER', 'Unknown partner.');
    const result = verifySignature({
      header: req.get(SIGNATURE_HEADER),
      rawBody: (req as SignedRequest).rawBody ?? Buffer.alloc(0),
      secrets,
      now: now(),
      replayWindowSeconds,
    });
    if (!result.ok) return refuse(result.failure, result.message);
    const deliveryId = req.get(DELIVERY_ID_HEADER);
    if (!deliveryId || !DELIVERY_ID.test(deliveryId))
      return refuse('MISSING_DELIVERY_ID', `the ${DELIVERY_ID_HEADER} header is missing or malformed`);
    observe('ok');
    (req as SignedRequest).deliveryId = deliveryId;
    next();
  };
}
