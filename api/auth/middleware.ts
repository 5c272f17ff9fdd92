import type { RequestHandler, Response } from 'express';
import { AppError } from '../../common/errors';
import { isInJurisdiction } from '../../domain/divisions';
import { ROLE_LABELS, type StaffRole } from '../../domain/lifecycle';
import type { Actor } from '../../workflows/claim/types';
import { CSRF_HEADER, SESSION_COOKIE, csrfMatches, readCookie } from './session-cookie';
import { verifyStaffToken, type AuthSettings, type TokenSession } from './tokens';

/** The county staff who file and review claims and keep household records (ops and admin do neither). */
export const STAFF = ['village', 'township', 'county'] as const satisfies readonly StaffRole[];

const TOKEN_REQUIRED = {
  zh: '需要登录令牌（请求头 Authorization: Bearer <令牌>）。',
  en: 'A bearer token is required (Authorization: Bearer <token>).',
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What `authenticate` checks besides the token itself: the signed-in account behind it (absent: tokens only). */
export interface SessionChecks {
  checkSession(actor: Actor, session: TokenSession): Promise<void>;
}

/**
 * Requires a staff token: `Authorization: Bearer <token>` (API clients) or the session cookie (the browser, whose
 * writes must also carry the CSRF token). A token issued by sign-in must still match its account; one whose account
 * must change its password reaches only the session endpoints. The verified actor is kept in res.locals.
 */
export function authenticate(settings: AuthSettings, accounts?: SessionChecks): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    const bearer = header?.match(/^Bearer ([A-Za-z0-9._-]+)$/)?.[1];
    const cookie = bearer ? undefined : readCookie(req, SESSION_COOKIE);
    const token = bearer ?? cookie;
    if (!token) return next(new AppError('UNAUTHENTICATED', TOKEN_REQUIRED));
    if (cookie && !SAFE_METHODS.has(req.method) && !csrfMatches(settings.secret, cookie, req.get(CSRF_HEADER)))
      return next(new AppError('FORBIDDEN', CSRF_MISSING));
    verifyStaffToken(settings, token)
      .then(async (check) => {
        if (!check.ok)
          throw new AppError('UNAUTHENTICATED', {
            zh: `认证失败：${check.reason.zh}。`,
            en: `Authentication failed: ${check.reason.en}.`,
          });
        await accounts?.checkSession(check.actor, check.session);
        if (check.session.mustChangePassword && !req.path.startsWith('/session'))
          throw new AppError('PASSWORD_CHANGE_REQUIRED', {
            zh: '这是管理员设置的临时密码，请先修改密码（POST /session/password）。',
            en: 'This is a temporary password set by an administrator: change it first (POST /session/password).',
          });
        res.locals.actor = check.actor;
        res.locals.session = check.session;
        next();
      })
      .catch((error: unknown) => next(error));
  };
}

const CSRF_MISSING = {
  zh: '页面的安全校验码缺失或不符（请刷新页面后重试）。',
  en: 'The CSRF token is missing or does not match this session (X-CSRF-Token); reload the page.',
};

export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new AppError('UNAUTHENTICATED', TOKEN_REQUIRED);
  return actor;
}

/** Refuses roles that may not use an endpoint at all (finer rules live in the claim workflow). */
export function requireRole(...roles: StaffRole[]): RequestHandler {
  return (_req, res, next) => {
    const actor = actorOf(res);
    if (!roles.includes(actor.role))
      return next(
        new AppError('FORBIDDEN', {
          zh: `此操作需要${roles.map((r) => ROLE_LABELS[r].zh).join('或')}身份；您的身份是${ROLE_LABELS[actor.role].zh}。`,
          en: `This needs role ${roles.join(' or ')}; you are ${actor.role}.`,
        }),
      );
    next();
  };
}

/**
 * The division a list is scoped to: the requested one when it lies inside the caller's jurisdiction, the caller's
 * jurisdiction when the request is broader, and 403 when they do not overlap.
 */
export function listScope(actor: Actor, division: string | undefined): string {
  if (!division || isInJurisdiction(actor.jurisdiction, division)) return actor.jurisdiction;
  if (isInJurisdiction(division, actor.jurisdiction)) return division;
  throw new AppError('FORBIDDEN', {
    zh: `区划 ${division} 不在您的辖区内。`,
    en: `Division ${division} is outside your jurisdiction.`,
  });
}
