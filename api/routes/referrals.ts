import { Router } from 'express';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import type { ReferralRepository } from '../../db/repositories/referrals';
import { isInJurisdiction } from '../../domain/divisions';
import { WARNING_RULE_LABELS } from '../../domain/early-warning';
import { actorOf, listScope, requireRole, STAFF } from '../auth/middleware';
import { ReferralIdParam, ReferralListQuery } from '../contracts/referrals';

const referralNotFound = (id: string) => new AppError('NOT_FOUND', { zh: `没有监测线索 ${id}。`, en: `No referral ${id}.` });

/** Referrals for monitoring review (防返贫监测线索) raised by the early-warning rules, with each finding's rule in words. */
export function referralRouter({ referrals }: { referrals: ReferralRepository }): Router {
  const router = Router();
  const view = (r: NonNullable<Awaited<ReturnType<ReferralRepository['find']>>>) => ({
    ...r,
    triggers: r.triggers.map((t) => ({ ...t, ruleLabel: WARNING_RULE_LABELS[t.rule] })),
    links: { self: `/referrals/${r.referralId}`, household: `/households/${r.householdId}` },
  });

  router.get('/referrals', requireRole(...STAFF, 'ops'), async (req, res) => {
    const { division, limit } = parseInput(ReferralListQuery, req.query, 'query');
    const scope = listScope(actorOf(res), division);
    res.json({ items: (await referrals.recent(scope, limit)).map(view) });
  });

  router.get('/referrals/:referralId', requireRole(...STAFF, 'ops'), async (req, res) => {
    const { referralId } = parseInput(ReferralIdParam, req.params, 'path');
    const referral = await referrals.find(referralId);
    if (!referral || !isInJurisdiction(referral.divisionCode, actorOf(res).jurisdiction)) throw referralNotFound(referralId);
    res.json(view(referral));
  });
  return router;
}
