import { Router } from 'express';
import { parseInput } from '../../common/http/validate';
import { actorOf, requireRole } from '../auth/middleware';
import { CreateUserBody, ResetPasswordBody, UpdateUserBody, UsernameParam } from '../contracts/accounts';
import type { AccountService } from '../services/accounts';

/** The county administrator's account management, within the administrator's jurisdiction, every change audited. */
export function userRouter({ accounts }: { accounts: AccountService }): Router {
  const router = Router();
  router.use('/admin', requireRole('admin'));

  router.get('/admin/users', async (_req, res) => {
    res.json({ items: await accounts.list(actorOf(res)) });
  });

  router.post('/admin/users', async (req, res) => {
    const body = parseInput(CreateUserBody, req.body ?? {}, 'new user');
    const created = await accounts.create(actorOf(res), body);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(created);
  });

  router.get('/admin/users/:username', async (req, res) => {
    const { username } = parseInput(UsernameParam, req.params, 'path');
    res.json(await accounts.get(actorOf(res), username));
  });

  router.patch('/admin/users/:username', async (req, res) => {
    const { username } = parseInput(UsernameParam, req.params, 'path');
    const body = parseInput(UpdateUserBody, req.body ?? {}, 'user change');
    res.json(await accounts.update(actorOf(res), username, body));
  });

  router.post('/admin/users/:username/password-reset', async (req, res) => {
    const { username } = parseInput(UsernameParam, req.params, 'path');
    const { version } = parseInput(ResetPasswordBody, req.body ?? {}, 'password reset');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await accounts.resetPassword(actorOf(res), username, version));
  });

  router.get('/admin/users/:username/audit', async (req, res) => {
    const { username } = parseInput(UsernameParam, req.params, 'path');
    res.json({ items: await accounts.auditTrail(actorOf(res), username) });
  });

  return router;
}
