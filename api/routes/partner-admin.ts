import { Router, type Response } from 'express';
import { parseInput } from '../../common/http/validate';
import {
  AddPartnerKeyBody,
  PartnerIdParam,
  PartnerKeyParam,
  PartnerMessagesQuery,
  RetirePartnerKeyBody,
  UpdatePartnerBody,
} from '../contracts/partners';
import { actorOf, requireRole } from '../auth/middleware';
import type { PartnerAdminService } from '../services/partners';
import type { SandboxService } from '../services/sandbox';
import { CreateSandboxClaimBody, SandboxClaimParam, SandboxClaimsQuery } from '../contracts/sandbox';

/**
 * Ops and the county's administrator manage the partner registry: keys, URLs, sandboxes, the messages' keys and the
 * audit trail. Secrets appear in one answer only: the one that made the key.
 */
export function partnerAdminRouter({ service, sandbox }: { service: PartnerAdminService; sandbox?: SandboxService }): Router {
  const router = Router();
  const allowed = requireRole('ops', 'admin');
  const who = (res: Response) => {
    const actor = actorOf(res);
    return { by: actor.userId, byRole: actor.role };
  };

  router.get('/ops/partners', allowed, async (_req, res) => {
    res.json({ items: await service.list() });
  });

  router.get('/ops/partners/:partnerId', allowed, async (req, res) => {
    const { partnerId } = parseInput(PartnerIdParam, req.params, 'path');
    res.json(await service.get(partnerId));
  });

  router.patch('/ops/partners/:partnerId', allowed, async (req, res) => {
    const { partnerId } = parseInput(PartnerIdParam, req.params, 'path');
    const body = parseInput(UpdatePartnerBody, req.body ?? {}, 'partner change');
    res.json(await service.update(partnerId, body, who(res)));
  });

  router.post('/ops/partners/:partnerId/keys', allowed, async (req, res) => {
    const { partnerId } = parseInput(PartnerIdParam, req.params, 'path');
    const body = parseInput(AddPartnerKeyBody, req.body ?? {}, 'new key');
    const added = await service.addKey(partnerId, body, who(res));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(added);
  });

  router.post('/ops/partners/:partnerId/keys/:keyId/retire', allowed, async (req, res) => {
    const { partnerId, keyId } = parseInput(PartnerKeyParam, req.params, 'path');
    const body = parseInput(RetirePartnerKeyBody, req.body ?? {}, 'key retirement');
    res.json(await service.retireKey(partnerId, keyId, body, who(res)));
  });

  router.get('/ops/partners/:partnerId/messages', allowed, async (req, res) => {
    const { partnerId } = parseInput(PartnerIdParam, req.params, 'path');
    const query = parseInput(PartnerMessagesQuery, req.query, 'query');
    res.json({ items: await service.messages(partnerId, query) });
  });

  router.get('/ops/partners/:partnerId/history', allowed, async (req, res) => {
    const { partnerId } = parseInput(PartnerIdParam, req.params, 'path');
    res.json({ items: await service.history(partnerId) });
  });

  if (sandbox) {
    /** A test claim for an insurer's sandbox: its package goes to the sandbox URL only, its payout to no real card. */
    router.post('/ops/partners/:partnerId/sandbox/claims', allowed, async (req, res) => {
      const { partnerId } = parseInput(PartnerIdParam, req.params, 'path');
      const body = parseInput(CreateSandboxClaimBody, req.body ?? {}, 'test claim');
      res.status(202).json(await sandbox.create(partnerId, body, actorOf(res)));
    });

    router.get('/ops/sandbox/claims', allowed, async (req, res) => {
      const query = parseInput(SandboxClaimsQuery, req.query, 'query');
      res.json({ items: await sandbox.list(query) });
    });

    router.get('/ops/sandbox/claims/:claimNo', allowed, async (req, res) => {
      const { claimNo } = parseInput(SandboxClaimParam, req.params, 'path');
      res.json(await sandbox.get(claimNo));
    });
  }

  return router;
}
