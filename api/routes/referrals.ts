import { Router } from 'express';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import type { ReferralRepository } from '../../db/repositories/referrals';
import { isInJurisdiction } from '../../domain/divisions';
import { WARNING_RULE_LABELS } from '../../domain/early-warning';
import { actorOf, listScope, requireRole, STAFF } from '../auth/middleware';
import { MonitoringActionBodies, MonitoringActionParams, ReferralIdParam, ReferralListQuery } from '../contracts/referrals';
import { procedureNotStarted, type MonitoringService } from '../services/monitoring';
import type { MonitoringAction } from '../../workflows/monitoring/machine';

const referralNotFound = (id: string) => new AppError('NOT_FOUND', { zh: `没有监测线索 ${id}。`, en: `No referral ${id}.` });

/** Referrals for monitoring review (防返贫监测线索) raised by the early-warning rules, with each finding's rule in words. */
export function referralRouter({
  referrals,
  monitoring,
}: {
  referrals: ReferralRepository;
  monitoring?: MonitoringService;
}): Router {
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
    res.json({ ...view(referral), procedure: (await monitoring?.state(referralId)) ?? null });
  });

  /** A step of the monitoring procedure by a person (verify, appraise, object, review, decide). */
  router.post('/referrals/:referralId/actions/:action', requireRole(...STAFF), async (req, res) => {
    const { referralId, action } = parseInput(MonitoringActionParams, req.params, 'path');
    const body = parseInput(MonitoringActionBodies[action], req.body, 'request body');
    const referral = await referrals.find(referralId);
    const actor = actorOf(res);
    if (!referral || !isInJurisdiction(referral.divisionCode, actor.jurisdiction)) throw referralNotFound(referralId);
    if (!monitoring) throw procedureNotStarted(referralId);
    const state = await monitoring.act(referralId, { action, actor, ...body } as MonitoringAction);
    res.json(state);
  });
  return router;
}
