import type { RequestHandler, Response } from 'express';
import { AppError } from '../../common/errors';
import { isInJurisdiction } from '../../domain/divisions';
import { ROLE_LABELS, type StaffRole } from '../../domain/lifecycle';
import type { Actor } from '../../workflows/claim/types';
import { verifyStaffToken, type AuthSettings } from './tokens';

/** The county staff who file and review claims and keep household records (ops and admin do neither). */
export const STAFF = ['village', 'township', 'county'] as const satisfies readonly StaffRole[];

const TOKEN_REQUIRED = {
  zh: '需要登录令牌（请求头 Authorization: Bearer <令牌>）。',
  en: 'A bearer token is required (Authorization: Bearer <token>).',
};

/** Requires `Authorization: Bearer <staff token>`; the verified actor is kept in res.locals for the route. */
export function authenticate(settings: AuthSettings): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    const token = header?.match(/^Bearer ([A-Za-z0-9._-]+)$/)?.[1];
    if (!token) return next(new AppError('UNAUTHENTICATED', TOKEN_REQUIRED));
    verifyStaffToken(settings, token).then(
      (check) => {
        if (!check.ok)
          return next(
            new AppError('UNAUTHENTICATED', {
              zh: `认证失败：${check.reason.zh}。`,
              en: `Authentication failed: ${check.reason.en}.`,
            }),
          );
        res.locals.actor = check.actor;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

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
