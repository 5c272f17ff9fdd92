import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../errors';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, unixSeconds, verifySignature } from './signature';

/** A request whose exact body bytes were kept for signature verification. */
export interface SignedRequest extends Request {
  rawBody?: Buffer;
  deliveryId?: string;
}

/** JSON body parser that keeps the raw bytes (signatures are over the bytes sent, not a re-serialization). */
/** Why a signed message was refused, in Chinese (the English text comes from the verifier). */
const SIGNATURE_FAILURES_ZH: Record<string, string> = {
  UNKNOWN_PARTNER: '未知的合作方',
  MISSING_SIGNATURE: '缺少签名请求头 Fangpin-Signature',
  MALFORMED_SIGNATURE: '签名请求头格式应为 t=<Unix 秒>,v1=<十六进制>',
  TIMESTAMP_OUT_OF_WINDOW: '签名时间戳超出允许的时间窗口（可能是重放或时钟偏差）',
  BAD_SIGNATURE: '签名与任何有效密钥都不匹配',
  MISSING_DELIVERY_ID: '缺少或格式错误的投递编号请求头 Fangpin-Delivery-Id',
};

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
    const refuse = (failure: string, en: string) => {
      observe(failure);
      const zh = SIGNATURE_FAILURES_ZH[failure] ?? '签名校验未通过';
      next(new AppError('UNAUTHENTICATED', { zh: `${zh}。`, en }, { failure }));
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
