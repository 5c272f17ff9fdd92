import { Router } from 'express';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import type { Referral, ReferralRepository } from '../../db/repositories/referrals';
import { isInJurisdiction } from '../../domain/divisions';
import { TRIGGER_LABELS } from '../../domain/early-warning';
import { MONITORING_STAGE_LABELS } from '../../domain/monitoring';
import { actorOf, listScope, requireRole, STAFF } from '../auth/middleware';
import {
  MonitoringActionParams,
  monitoringActionBody,
  OpenReferralBody,
  ReferralIdParam,
  ReferralListQuery,
} from '../contracts/referrals';
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

  /**
   * The referral in the jurisdiction, or 404. One a person opened a moment ago (its workflow records it just after
   * the 202) is answered from its workflow until then.
   */
  async function found(referralId: string, jurisdiction: string): Promise<Referral> {
    const referral = (await referrals.find(referralId)) ?? (await justOpened(referralId));
    if (!referral || !isInJurisdiction(referral.divisionCode, jurisdiction)) throw referralNotFound(referralId);
    return referral;
  }
  async function justOpened(referralId: string): Promise<Referral | null> {
    const state = await monitoring?.state(referralId);
    if (!state || state.outcome === 'superseded') return null;
    return {
      referralId,
      kind: state.kind ?? 'inclusion',
      householdId: state.householdId,
      divisionCode: state.divisionCode,
      status: state.outcome,
      triggers: [],
      createdAt: state.openedAt,
      updatedAt: state.openedAt,
    };
  }

  const view = (r: Referral) => ({
    ...r,
    triggers: r.triggers.map((t) => ({ ...t, ruleLabel: TRIGGER_LABELS[t.rule] })),
    links: { self: `/referrals/${r.referralId}`, household: `/households/${r.householdId}` },
  });

  router.get('/referrals', requireRole(...STAFF, 'ops'), async (req, res) => {
    const { division, limit } = parseInput(ReferralListQuery, req.query, 'query');
    const scope = listScope(actorOf(res), division);
    res.json({ items: (await referrals.recent(scope, limit)).map(view) });
  });

  /** A person opens a referral: a clue for inclusion, or a proposal to clear a monitored household of risk. */
  router.post('/referrals', requireRole('village', 'township', 'county'), async (req, res) => {
    const body = parseInput(OpenReferralBody, req.body, 'request body');
    if (!monitoring)
      throw new AppError('DEPENDENCY_UNAVAILABLE', { zh: '监测流程暂不可用。', en: 'The procedure is unavailable.' });
    const opened = await monitoring.open(body, actorOf(res));
    res
      .status(202)
      .location(`/referrals/${opened.referralId}`)
      .json({ ...opened, links: { self: `/referrals/${opened.referralId}`, household: `/households/${opened.householdId}` } });
  });

  /**
   * Ops: the open referrals past their 15-day deadline, the most overdue first, with who must act (the party) and
   * how many wait on each party.
   */
  router.get('/ops/referrals/late', requireRole('ops', 'county'), async (req, res) => {
    const { division, limit } = parseInput(ReferralListQuery, req.query, 'query');
    const at = new Date();
    const scope = listScope(actorOf(res), division);
    const [late, open] = await Promise.all([referrals.late(scope, at, limit), referrals.countOpen(scope)]);
    const byParty: Record<string, number> = { village: 0, township: 0, county: 0, system: 0 };
    for (const r of late) byParty[r.progress?.pendingRole ?? 'system']! += 1;
    res.json({
      asOf: at.toISOString(),
      open,
      byParty,
      items: late.map((r) => ({
        ...view(r),
        stageLabel: r.progress ? MONITORING_STAGE_LABELS[r.progress.stage] : null,
        responsible: r.progress?.pendingRole ?? 'system',
        overdueMs: r.progress ? at.getTime() - Date.parse(r.progress.dueAt) : 0,
      })),
    });
  });

  router.get('/referrals/:referralId', requireRole(...STAFF, 'ops'), async (req, res) => {
    const { referralId } = parseInput(ReferralIdParam, req.params, 'path');
    const referral = await found(referralId, actorOf(res).jurisdiction);
    res.json({ ...view(referral), procedure: (await monitoring?.state(referralId)) ?? null });
  });

  /** A step of the monitoring procedure by a person (verify, appraise, object, review, decide). */
  router.post('/referrals/:referralId/actions/:action', requireRole(...STAFF), async (req, res) => {
    const { referralId, action } = parseInput(MonitoringActionParams, req.params, 'path');
    const actor = actorOf(res);
    const referral = await found(referralId, actor.jurisdiction);
    const body = parseInput(monitoringActionBody(referral.kind, action), req.body, 'request body');
    if (!monitoring) throw procedureNotStarted(referralId);
    const state = await monitoring.act(referral, { action, actor, ...body } as MonitoringAction);
    res.json(state);
  });
  return router;
}
