/**
 * The error taxonomy: every error a client may see has a stable `code`, an HTTP status and a title.
 * api/middleware/problem.ts is the one place that turns these into RFC 9457 problem+json.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  UNPROCESSABLE: { status: 422, title: 'Unprocessable request' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'A dependency is unavailable' },
  INTERNAL: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ErrorCodes;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly extensions: { fieldErrors?: FieldError[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(detail ?? ErrorCodes[code].title);
    this.name = 'AppError';
    this.status = ErrorCodes[code].status;
    this.title = ErrorCodes[code].title;
  }
}
