import { Router, type RequestHandler } from 'express';
import { parseInput } from '../../common/http/validate';
import { actorOf } from '../auth/middleware';
import { clearSessionCookies, csrfTokenFor, setSessionCookies } from '../auth/session-cookie';
import type { AuthSettings } from '../auth/tokens';
import { ChangePasswordBody, SignInBody } from '../contracts/accounts';
import type { AccountService, SignedIn } from '../services/accounts';

/**
 * Signing in and out. `POST /session` answers with the token (for API clients, as a bearer) and sets it as the
 * browser's HttpOnly cookie with its CSRF companion; the body carries the CSRF token for the page's writes.
 */
export function sessionRouter({
  accounts,
  auth,
  authenticated,
}: {
  accounts: AccountService;
  auth: AuthSettings;
  authenticated: RequestHandler;
}): Router {
  const router = Router();

  const answer = (signedIn: SignedIn) => ({ ...signedIn, csrfToken: csrfTokenFor(auth.secret, signedIn.token) });

  router.post('/session', async (req, res) => {
    const { username, password } = parseInput(SignInBody, req.body ?? {}, 'sign-in');
    const signedIn = await accounts.signIn(username, password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    const body = answer(signedIn);
    setSessionCookies(req, res, signedIn.token, body.csrfToken, auth.tokenTtlMs);
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });

  router.get('/session', authenticated, async (_req, res) => {
    const actor = actorOf(res);
    const user = await accounts.me(actor);
    res.setHeader('Cache-Control', 'no-store');
    // a minted token (scripts) has no account: its claims are all there is to show
    res.json({ actor, user: user ?? null });
  });

  router.delete('/session', (req, res) => {
    clearSessionCookies(req, res);
    res.status(204).end();
  });

  router.post('/session/password', authenticated, async (req, res) => {
    const { currentPassword, newPassword } = parseInput(ChangePasswordBody, req.body ?? {}, 'password change');
    const signedIn = await accounts.changePassword(actorOf(res), currentPassword, newPassword);
    const body = answer(signedIn);
    setSessionCookies(req, res, signedIn.token, body.csrfToken, auth.tokenTtlMs);
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });

  return router;
}
