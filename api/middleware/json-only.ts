import type { RequestHandler } from 'express';
import { AppError } from '../../common/errors';

/** Paths whose bodies are files (their own route reads and checks them), not JSON. */
const FILE_UPLOADS = new Set(['/documents', '/imports/roster', '/imports/claims']);
/** A disaster event's filled-in loss sheet. */
const LOSS_SHEET = /^\/disasters\/DZ-\d{8}-[0-9a-f]{6}\/sheet$/;

/** Requests that carry a body must carry JSON (file uploads aside): anything else is 415, before any route sees it. */
export const jsonOnly: RequestHandler = (req, _res, next) => {
  if (req.method === 'POST' && (FILE_UPLOADS.has(req.path) || LOSS_SHEET.test(req.path))) return next();
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) {
    return next(
      new AppError('UNSUPPORTED_MEDIA_TYPE', {
        zh: `请以 application/json 格式发送（收到的是 ${req.get('content-type') ?? '无内容类型'}）。`,
        en: `Send application/json (got ${req.get('content-type') ?? 'no content type'}).`,
      }),
    );
  }
  next();
};
