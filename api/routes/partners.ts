import { Router, type Request } from 'express';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import { InsurerDecisionSchema, PayoutResultSchema } from '../../common/partners/messages';
import { requireSignature, type SignedRequest } from '../../common/partners/receiver';
import { BANK_ID, insurerOf, type PartnerDirectory } from '../../common/partners/directory';
import type { Logger } from '../../common/logger';
import { decodeCursor, type ClaimRepository } from '../../db/repositories/claims';
import { z } from 'zod';
import { STAGES } from '../../domain/lifecycle';
import type { DeliveryRepository } from '../../db/repositories/deliveries';
import type { PartnerRepository } from '../../db/repositories/partners';
import type { ApiMetrics } from '../metrics';
import { claimNotFound, invalidCursor } from '../problems';
import { isSandboxClaimNo } from '../../domain/sandbox';
import type { SandboxService } from '../services/sandbox';
import type { ClaimService } from '../services/claims';

export const InsurerClaimsQuery = z.strictObject({
  county: z
    .string()
    .regex(/^\d{6}$/)
    .default('341324'),
  stage: z.enum(STAGES).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(400).optional(),
});

export interface PartnerRouteDeps {
  directory: PartnerDirectory;
  /** Where each verified message is logged with the key that verified it (ops see which key a partner signs with). */
  registry: PartnerRepository;
  logger: Logger;
  /** Test claims of partners' sandboxes (numbered under county 000000): their callbacks go there, never to a claim. */
  sandbox?: SandboxService;
  replayWindowSeconds: number;
  claimService: ClaimService;
  claims: ClaimRepository;
  deliveries: DeliveryRepository;
  metrics?: ApiMetrics;
}

/**
 * Signed callbacks from insurers and the bank (docs/partner-protocol.md). A delivery id seen before gets the stored
 * answer back; a decision or result that no longer fits the claim is acknowledged as stale without effect.
 */
export function partnerRouter({
  directory,
  registry,
  logger,
  sandbox,
  replayWindowSeconds,
  claimService,
  claims,
  deliveries,
  metrics,
}: PartnerRouteDeps): Router {
  const router = Router();
  const verified = (partner: 'insurer' | 'bank') => ({
    replayWindowSeconds,
    observe: (result: string) => metrics?.callbackVerified(partner, result),
    refresh: () => directory.refresh(),
  });
  const insurerSecrets = (req: Request) => insurerOf(directory.current(), String(req.params.insurerId))?.secrets;
  /** Logs which key verified the message; a failure to log never fails the partner's message. */
  const logMessage = (partnerId: string, route: string) => (req: Request, _res: unknown, next: () => void) => {
    const { signedWith, deliveryId } = req as SignedRequest;
    registry
      .recordMessage({ partnerId, keyId: signedWith!, route, deliveryId: deliveryId! })
      .catch((error: unknown) => logger.warn({ err: error, partnerId }, 'logging a partner message failed'));
    next();
  };
  const logInsurer = (route: string) => (req: Request, res: unknown, next: () => void) =>
    logMessage(String(req.params.insurerId), route)(req, res, next);

  async function once(
    partner: string,
    req: Request,
    handle: () => Promise<unknown>,
  ): Promise<{ status: number; response: unknown }> {
    const deliveryId = (req as SignedRequest).deliveryId!;
    const seen = await deliveries.find(partner, deliveryId);
    if (seen) return seen;
    const answer = { status: 200, response: await handle() };
    await deliveries.remember(partner, deliveryId, answer);
    return answer;
  }

  router.post(
    '/partners/insurers/:insurerId/decisions',
    requireSignature(insurerSecrets, verified('insurer')),
    logInsurer('decisions'),
    async (req, res) => {
      const insurerId = String(req.params.insurerId);
      const answer = await once(`insurer:${insurerId}`, req, async () => {
        const decision = parseInput(InsurerDecisionSchema, req.body, 'insurer decision');
        res.locals.claimNo = decision.claimNo;
        if (decision.insurerId !== insurerId)
          throw new AppError('FORBIDDEN', {
            zh: '理赔决定中的保险公司与签名方不一致。',
            en: 'The decision names another insurer than the one that signed it.',
          });
        if (isSandboxClaimNo(decision.claimNo)) {
          if (!sandbox) throw claimNotFound(decision.claimNo);
          return sandbox.decision(decision);
        }
        const claim = await claims.find(decision.claimNo);
        // another insurer's claim answers as a missing one: an insurer learns nothing of claims not assigned to it
        if (!claim || claim.insurerId !== insurerId)
          throw new AppError('NOT_FOUND', {
            zh: `没有分配给保险公司 ${insurerId} 的理赔案件 ${decision.claimNo}。`,
            en: `No claim ${decision.claimNo} assigned to insurer ${insurerId}.`,
          });
        return claimService.insurerDecision(decision);
      });
      res.status(answer.status).json(answer.response);
    },
  );

  /** An insurer pulls the claims assigned to it (never another insurer's), newest first, by stage if it likes. */
  router.post(
    '/partners/insurers/:insurerId/claims/query',
    requireSignature(insurerSecrets, verified('insurer')),
    logInsurer('claims/query'),
    async (req, res) => {
      const insurerId = String(req.params.insurerId);
      const query = parseInput(InsurerClaimsQuery, req.body, 'query');
      const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (query.cursor && !cursor) {
        throw invalidCursor();
      }
      const page = await claims.list({ scope: query.county, insurerId, stage: query.stage }, query.limit, cursor);
      const items = page.items.map((c) => ({
        claimNo: c.claimNo,
        stage: c.stage,
        status: c.status,
        line: c.line,
        policyYear: c.policyYear,
        eventDate: c.eventDate,
        proposedFen: c.proposedFen,
        approvedFen: c.approvedFen,
        paidFen: c.paidFen,
        round: c.insurerRound,
        slaBreached: c.slaBreached,
        filedAt: c.filedAt,
      }));
      res.json({ items, nextCursor: page.nextCursor });
    },
  );

  router.post(
    '/partners/bank/payouts',
    requireSignature(() => directory.current().bank.secrets, verified('bank')),
    logMessage(BANK_ID, 'payouts'),
    async (req, res) => {
      const answer = await once('bank', req, async () => {
        const result = parseInput(PayoutResultSchema, req.body, 'payout result');
        res.locals.claimNo = result.claimNo;
        if (isSandboxClaimNo(result.claimNo)) {
          if (!sandbox) throw claimNotFound(result.claimNo);
          return sandbox.payoutResult(result);
        }
        const ack = await claimService.payoutResult(result);
        metrics?.payoutResult(result.status, ack.outcome);
        return ack;
      });
      res.status(answer.status).json(answer.response);
    },
  );

  return router;
}
