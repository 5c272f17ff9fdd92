import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * The browser's session: the same signed staff token API clients send as a bearer, kept in an HttpOnly, SameSite=Strict
 * cookie the page's scripts cannot read. Writes authenticated by the cookie must also carry the CSRF token in
 * `X-CSRF-Token`: an HMAC of the session token under the server's secret (double submit, nothing stored), which the
 * sign-in answer gives the page and a readable cookie keeps across reloads.
 */
export const SESSION_COOKIE = 'fangpin_session';
export const CSRF_COOKIE = 'fangpin_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function csrfTokenFor(secret: string, sessionToken: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

export function csrfMatches(secret: string, sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(secret, sessionToken));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The value of one cookie of the request (no cookie-parser: one header, two names). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** `Secure` when the request came over TLS (directly or through a proxy Express trusts) or the deployment says so. */
const secure = (req: Request) => req.secure || process.env.SESSION_COOKIE_SECURE === 'true';

export function setSessionCookies(req: Request, res: Response, token: string, csrf: string, maxAgeMs: number): void {
  const common = { sameSite: 'strict' as const, secure: secure(req), path: '/', maxAge: maxAgeMs };
  res.cookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  res.cookie(CSRF_COOKIE, csrf, { ...common, httpOnly: false });
}

export function clearSessionCookies(req: Request, res: Response): void {
  const common = { sameSite: 'strict' as const, secure: secure(req), path: '/' };
  res.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { ...common, httpOnly: false });
}
