import { maskUrl } from '../../domain/masking';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable, isDeadlock } from '../../db/errors';
import { AppError, ErrorCodes, type ErrorCode } from '../errors';

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

export function problemBody(error: AppError, instance: string, requestId: string | undefined): ProblemBody {
  const { retryAfterSeconds: _retry, ...extensions } = error.extensions;
  return {
    type: `https://fangpin.dev/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: error.title,
    status: error.status,
    code: error.code,
    detail: error.message,
    instance,
    requestId,
    ...extensions,
  };
}

/** body-parser and friends throw http-errors with a `type`; map the ones a client can cause. */
function fromHttpError(err: { type?: string; status?: number; message?: string }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('MALFORMED_JSON', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body exceeds the size limit.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', err.message);
    case 'request.aborted':
      return new AppError('MALFORMED_JSON', 'The request body was cut off before it ended.');
    case 'request.size.invalid':
      return new AppError('MALFORMED_JSON', 'The request body is shorter or longer than its Content-Length.');
    default:
      // any other client error of the body reader (a corrupt or truncated gzip body, say): the client's fault, never a 500
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
        if (err.status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'The request body exceeds the size limit.');
        if (err.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', err.message ?? 'Unsupported media type.');
        return new AppError('MALFORMED_JSON', 'The request body could not be read (corrupt or truncated encoding).');
      }
      return undefined;
  }
}

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** A dependency that is down is a 503 with Retry-After, never a 500. */
function fromDependencyError(err: { name?: string; code?: unknown; cause?: unknown }): AppError | undefined {
  if (isDatabaseUnavailable(err)) {
    return new AppError('DEPENDENCY_UNAVAILABLE', 'The database is unavailable; retry shortly.', { retryAfterSeconds: 5 });
  }
  // a write conflict that outlasted its bounded retries: nothing was written, a retry will get through
  if (isDeadlock(err)) {
    return new AppError('DEPENDENCY_UNAVAILABLE', 'The database is busy; retry shortly.', { retryAfterSeconds: 1 });
  }
  const grpcCode = (err.cause as { code?: unknown } | undefined)?.code ?? err.code;
  if (
    (err.name === 'ServiceError' || err.name === 'ConnectionError') &&
    (grpcCode === GRPC_UNAVAILABLE || grpcCode === GRPC_DEADLINE_EXCEEDED || err.name === 'ConnectionError')
  ) {
    return new AppError('DEPENDENCY_UNAVAILABLE', 'The workflow service is unavailable; retry shortly.', {
      retryAfterSeconds: 5,
    });
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
  const error = known ?? new AppError('INTERNAL', 'An unexpected error occurred. Quote the request id when reporting it.');
  if (!known) req.log.error({ err }, 'unhandled error');
  const retryAfter = error.extensions.retryAfterSeconds;
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res
    .status(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problemBody(error, maskUrl(req.originalUrl), typeof req.id === 'string' ? req.id : undefined)));
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}.`));
};

export { ErrorCodes };
