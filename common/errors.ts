/**
 * The error taxonomy: every error a client may see has a stable `code`, an HTTP status and a title, in Chinese (what
 * county staff read) and English. common/http/problem.ts is the one place that turns these into RFC 9457 problem+json,
 * in the language the request prefers (zh-CN unless it asks for English).
 */
export interface Bilingual {
  zh: string;
  en: string;
}

export const ErrorCodes = {
  VALIDATION_FAILED: { status: 400, title: { zh: '请求校验未通过', en: 'Request validation failed' } },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: { zh: '不支持的内容类型', en: 'Unsupported media type' } },
  PAYLOAD_TOO_LARGE: { status: 413, title: { zh: '请求内容过大', en: 'Payload too large' } },
  MALFORMED_JSON: { status: 400, title: { zh: '请求内容不是有效的 JSON', en: 'Malformed JSON body' } },
  UNAUTHENTICATED: { status: 401, title: { zh: '需要登录认证', en: 'Authentication required' } },
  FORBIDDEN: { status: 403, title: { zh: '无权操作', en: 'Forbidden' } },
  PASSWORD_CHANGE_REQUIRED: { status: 403, title: { zh: '请先修改密码', en: 'Password change required' } },
  TOO_MANY_REQUESTS: { status: 429, title: { zh: '尝试次数过多', en: 'Too many requests' } },
  NOT_FOUND: { status: 404, title: { zh: '未找到', en: 'Not found' } },
  CONFLICT: { status: 409, title: { zh: '与当前状态冲突', en: 'Conflict' } },
  UNPROCESSABLE: { status: 422, title: { zh: '请求无法办理', en: 'Unprocessable request' } },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: { zh: '依赖的服务暂不可用', en: 'A dependency is unavailable' } },
  INTERNAL: { status: 500, title: { zh: '服务器内部错误', en: 'Internal server error' } },
} as const satisfies Record<string, { status: number; title: Bilingual }>;

export type ErrorCode = keyof typeof ErrorCodes;

/** One field's problem, in both languages (`message` English, `zh` Chinese). */
export interface FieldError {
  path: string;
  message: string;
  zh: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly title: Bilingual;
  readonly detail: Bilingual;

  constructor(
    readonly code: ErrorCode,
    detail: Bilingual = ErrorCodes[code].title,
    readonly extensions: { fieldErrors?: FieldError[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(detail.en);
    this.name = 'AppError';
    this.status = ErrorCodes[code].status;
    this.title = ErrorCodes[code].title;
    this.detail = detail;
  }
}

/** A field error from its two messages. */
export const fieldError = (path: string, zh: string, en: string): FieldError => ({ path, message: en, zh });
