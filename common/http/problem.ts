import { maskUrl } from '../../domain/masking';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable, isDeadlock } from '../../db/errors';
import { AppError, ErrorCodes, type ErrorCode } from '../errors';
import { CONTENT_LANGUAGE, preferredLanguage, type Language } from './language';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

/** The problem in one language: title, detail and each field's message (the `code` stays the same in every language). */
export function problemBody(
  error: AppError,
  instance: string,
  requestId: string | undefined,
  language: Language = 'zh',
): ProblemBody {
  const { retryAfterSeconds: _retry, fieldErrors, ...extensions } = error.extensions;
  return {
    type: `https://fangpin.dev/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: error.title[language],
    status: error.status,
    code: error.code,
    detail: error.detail[language],
    instance,
    requestId,
    ...extensions,
    ...(fieldErrors
      ? { fieldErrors: fieldErrors.map((f) => ({ path: f.path, message: language === 'zh' ? f.zh : f.message })) }
      : {}),
  };
}

/** body-parser and friends throw http-errors with a `type`; map the ones a client can cause. */
function fromHttpError(err: { type?: string; status?: number; message?: string }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('MALFORMED_JSON', { zh: '请求内容不是有效的 JSON。', en: 'The request body is not valid JSON.' });
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', TOO_LARGE);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', {
        zh: '不支持请求内容的编码或字符集。',
        en: err.message ?? 'Unsupported encoding or charset.',
      });
    case 'request.aborted':
      return new AppError('MALFORMED_JSON', {
        zh: '请求内容在结束前被中断。',
        en: 'The request body was cut off before it ended.',
      });
    case 'request.size.invalid':
      return new AppError('MALFORMED_JSON', {
        zh: '请求内容的长度与 Content-Length 不符。',
        en: 'The request body is shorter or longer than its Content-Length.',
      });
    default:
      // any other client error of the body reader (a corrupt or truncated gzip body, say): the client's fault, never a 500
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
        if (err.status === 413) return new AppError('PAYLOAD_TOO_LARGE', TOO_LARGE);
        if (err.status === 415)
          return new AppError('UNSUPPORTED_MEDIA_TYPE', {
            zh: '不支持的内容类型。',
            en: err.message ?? 'Unsupported media type.',
          });
        return new AppError('MALFORMED_JSON', {
          zh: '无法读取请求内容（压缩编码损坏或不完整）。',
          en: 'The request body could not be read (corrupt or truncated encoding).',
        });
      }
      return undefined;
  }
}

const TOO_LARGE = { zh: '请求内容超过大小限制。', en: 'The request body exceeds the size limit.' };
/** Temporal cannot be reached (or did not answer within the deadline). */
export const WORKFLOW_SERVICE_DOWN = {
  zh: '流程服务暂不可用，请稍后重试。',
  en: 'The workflow service is unavailable; retry shortly.',
};

/** An action the workflow did not confirm within the call's deadline. */
export const WORKFLOW_ACTION_UNCONFIRMED = {
  zh: '流程服务未能及时确认该操作，操作可能稍后生效：请稍后刷新案件，确认未生效后再重试。',
  en: 'The workflow service did not confirm the action in time; it may still take effect: reload the claim shortly and retry only if it did not.',
};

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** A dependency that is down is a 503 with Retry-After, never a 500 (undefined when `err` is something else). */
export function fromDependencyError(err: { name?: string; code?: unknown; cause?: unknown }): AppError | undefined {
  if (isDatabaseUnavailable(err)) {
    return new AppError(
      'DEPENDENCY_UNAVAILABLE',
      { zh: '数据库暂不可用，请稍后重试。', en: 'The database is unavailable; retry shortly.' },
      { retryAfterSeconds: 5 },
    );
  }
  // a write conflict that outlasted its bounded retries: nothing was written, a retry will get through
  if (isDeadlock(err)) {
    return new AppError(
      'DEPENDENCY_UNAVAILABLE',
      { zh: '数据库繁忙，请稍后重试。', en: 'The database is busy; retry shortly.' },
      { retryAfterSeconds: 1 },
    );
  }
  // an action sent to a claim whose workflow no worker answered in time (all workers down, or one that ran out of
  // memory): nothing confirms it, and it may still take effect when a worker comes back
  if (err.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') {
    return new AppError('DEPENDENCY_UNAVAILABLE', WORKFLOW_ACTION_UNCONFIRMED, { retryAfterSeconds: 5 });
  }
  const grpcCode = (err.cause as { code?: unknown } | undefined)?.code ?? err.code;
  if (
    (err.name === 'ServiceError' || err.name === 'ConnectionError') &&
    (grpcCode === GRPC_UNAVAILABLE || grpcCode === GRPC_DEADLINE_EXCEEDED || err.name === 'ConnectionError')
  ) {
    return new AppError('DEPENDENCY_UNAVAILABLE', WORKFLOW_SERVICE_DOWN, { retryAfterSeconds: 5 });
  }
  return undefined;
}

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (typeof err === 'object' && err !== null) return fromHttpError(err) ?? fromDependencyError(err);
  return undefined;
}

/** The one error handler: every error leaves as problem+json; unknown errors become a generic 500, logged once. */
export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = toAppError(err);
  const error =
    known ??
    new AppError('INTERNAL', {
      zh: '发生了意外错误。报告问题时请提供请求编号（requestId）。',
      en: 'An unexpected error occurred. Quote the request id when reporting it.',
    });
  if (!known) req.log.error({ err }, 'unhandled error');
  const retryAfter = error.extensions.retryAfterSeconds;
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  const language = preferredLanguage(req);
  const requestId = typeof req.id === 'string' ? req.id : undefined;
  res.vary('Accept-Language');
  res
    .status(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .setHeader('Content-Language', CONTENT_LANGUAGE[language])
    .send(JSON.stringify(problemBody(error, maskUrl(req.originalUrl), requestId, language)));
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  const route = `${req.method} ${maskUrl(req.path)}`;
  next(new AppError('NOT_FOUND', { zh: `没有此接口：${route}。`, en: `No route for ${route}.` }));
};

export { ErrorCodes };
