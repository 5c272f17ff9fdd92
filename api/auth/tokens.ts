import type { Bilingual } from '../../common/errors';
import { jwtVerify, SignJWT, errors } from 'jose';
import { z } from 'zod';
import { STAFF_ROLES } from '../../domain/lifecycle';
import type { Actor } from '../../workflows/claim/types';
import { JurisdictionSchema } from '../../domain/value-schemas';

export interface AuthSettings {
  secret: string;
  issuer: string;
  audience: string;
  tokenTtlMs: number;
}

/** What a staff token carries besides the registered claims (iss, aud, exp, sub). */
const StaffClaimsSchema = z.object({
  sub: z.string().min(1).max(64),
  role: z.enum(STAFF_ROLES),
  jurisdiction: JurisdictionSchema,
  name: z.string().max(40).optional(),
  /** Issued by sign-in to a stored account (checked against it on every request); minted tokens have none. */
  acct: z.literal(true).optional(),
  /** The account must change its password before anything else. */
  pwc: z.literal(true).optional(),
  /** The account's session epoch at sign-in. */
  se: z.number().int().min(0).optional(),
});

/** How a verified token was issued: by sign-in to an account (with its issue time), or minted for a script. */
export interface TokenSession {
  account: boolean;
  /** The account's session epoch at sign-in (account tokens). */
  epoch: number;
  mustChangePassword: boolean;
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** Mints an HS256 staff token (the `mint-token` command and tests use it; production tokens come from the county's IdP). */
export async function mintStaffToken(
  settings: AuthSettings,
  actor: Actor,
  ttlMs = settings.tokenTtlMs,
  account?: { mustChangePassword: boolean; epoch: number },
): Promise<string> {
  return new SignJWT({
    role: actor.role,
    jurisdiction: actor.jurisdiction,
    ...(actor.name ? { name: actor.name } : {}),
    ...(account ? { acct: true, se: account.epoch } : {}),
    ...(account?.mustChangePassword ? { pwc: true } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor((Date.now() + ttlMs) / 1000))
    .sign(key(settings.secret));
}

export type TokenCheck = { ok: true; actor: Actor; session: TokenSession } | { ok: false; reason: Bilingual };

/** Slack on the lifetime check, for an issuer whose clock runs a little apart from this server's. */
const SKEW_SECONDS = 60;

/**
 * Verifies signature, issuer, audience and expiry, then the shape of the staff claims. A token must say when it was
 * issued and when it expires, and live no longer than this deployment's token lifetime (no "forever" tokens).
 */
export async function verifyStaffToken(settings: AuthSettings, token: string): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, key(settings.secret), {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
    if (lifetime > Math.ceil(settings.tokenTtlMs / 1000) + SKEW_SECONDS)
      return {
        ok: false,
        reason: { zh: '令牌有效期超过本系统允许的时长', en: 'the token lives longer than this deployment allows' },
      };
    const claims = StaffClaimsSchema.safeParse(payload);
    if (!claims.success)
      return {
        ok: false,
        reason: { zh: '令牌未包含有效的角色和辖区', en: 'the token does not carry a valid role and jurisdiction' },
      };
    const { sub, role, jurisdiction, name, acct, pwc, se } = claims.data;
    return {
      ok: true,
      actor: { userId: sub, role, jurisdiction, ...(name ? { name } : {}) },
      session: { account: acct === true, epoch: se ?? 0, mustChangePassword: pwc === true },
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      return { ok: false, reason: { zh: '令牌已过期，请重新登录', en: 'the token has expired' } };
    if (error instanceof errors.JWTClaimValidationFailed)
      return {
        ok: false,
        reason: { zh: `令牌的 ${error.claim} 声明不被接受`, en: `the token's ${error.claim} claim is not accepted` },
      };
    return { ok: false, reason: { zh: '令牌无效', en: 'the token is not valid' } };
  }
}
