import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../errors';
import { DELIVERY_ID_HEADER, keyIdOf, SIGNATURE_HEADER, unixSeconds, verifySignature } from './signature';

/** A request whose exact body bytes were kept for signature verification. */
export interface SignedRequest extends Request {
  rawBody?: Buffer;
  deliveryId?: string;
  /** The id of the key whose signature matched (`keyIdOf`). */
  signedWith?: string;
}

/** Why a signed message was refused, in Chinese (the English text comes from the verifier). */
const SIGNATURE_FAILURES_ZH: Record<string, string> = {
  UNKNOWN_PARTNER: '未知的合作方',
  MISSING_SIGNATURE: '缺少签名请求头 Fangpin-Signature',
  MALFORMED_SIGNATURE: '签名请求头格式应为 t=<Unix 秒>,v1=<十六进制>',
  TIMESTAMP_OUT_OF_WINDOW: '签名时间戳超出允许的时间窗口（可能是重放或时钟偏差）',
  BAD_SIGNATURE: '签名与任何有效密钥都不匹配',
  MISSING_DELIVERY_ID: '缺少或格式错误的投递编号请求头 Fangpin-Delivery-Id',
};

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

type Secrets = readonly string[] | undefined;
const UNKNOWN_PARTNER_EN = 'Unknown partner.';

/**
 * Rejects a request unless it carries a valid partner signature under one of the partner's active secrets, a timestamp
 * inside the replay window and a well-formed delivery id. `secretsFor` returns undefined for an unknown partner.
 * With `refresh`, a signature no known key matches (or an unknown partner) re-reads the keys once before refusing: a
 * key added a moment ago in another process is accepted at once, not after the next periodic refresh.
 */
export function requireSignature(
  secretsFor: (req: Request) => Secrets,
  {
    replayWindowSeconds,
    now = () => unixSeconds(),
    observe = () => undefined,
    refresh,
  }: {
    replayWindowSeconds: number;
    now?: () => number;
    /** Told the result of each verification: 'ok' or the failure code (for metrics). */
    observe?: (result: string) => void;
    /** Re-reads the partners' keys (the partner directory's refresh). */
    refresh?: () => Promise<void>;
  },
): RequestHandler {
  const verify = (req: Request) => {
    const secrets = secretsFor(req);
    if (!secrets || secrets.length === 0) return { ok: false as const, failure: 'UNKNOWN_PARTNER', message: UNKNOWN_PARTNER_EN };
    const result = verifySignature({
      header: req.get(SIGNATURE_HEADER),
      rawBody: (req as SignedRequest).rawBody ?? Buffer.alloc(0),
      secrets,
      now: now(),
      replayWindowSeconds,
    });
    return result.ok ? { ...result, keyId: keyIdOf(secrets[result.secretIndex]!) } : result;
  };
  return (req, _res, next) => {
    const refuse = (failure: string, en: string) => {
      observe(failure);
      const zh = SIGNATURE_FAILURES_ZH[failure] ?? '签名校验未通过';
      next(new AppError('UNAUTHENTICATED', { zh: `${zh}。`, en }, { failure }));
    };
    const accept = (keyId: string) => {
      const deliveryId = req.get(DELIVERY_ID_HEADER);
      if (!deliveryId || !DELIVERY_ID.test(deliveryId))
        return refuse('MISSING_DELIVERY_ID', `the ${DELIVERY_ID_HEADER} header is missing or malformed`);
      observe('ok');
      (req as SignedRequest).deliveryId = deliveryId;
      (req as SignedRequest).signedWith = keyId;
      next();
    };
    const first = verify(req);
    if (first.ok) return accept(first.keyId);
    const keyMiss = first.failure === 'BAD_SIGNATURE' || first.failure === 'UNKNOWN_PARTNER';
    if (!refresh || !keyMiss) return refuse(first.failure, first.message);
    refresh().then(
      () => {
        const second = verify(req);
        if (second.ok) accept(second.keyId);
        else refuse(second.failure, second.message);
      },
      () => refuse(first.failure, first.message),
    );
  };
}
