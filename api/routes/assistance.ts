import { Router } from 'express';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import type { AssistancePlan, AssistancePlanRepository } from '../../db/repositories/assistance-plans';
import type { HouseholdRepository } from '../../db/repositories/households';
import { MEASURE_KIND_LABELS, MEASURE_STATUS_LABELS } from '../../domain/assistance';
import { isInJurisdiction } from '../../domain/divisions';
import { actorOf, requireRole, STAFF } from '../auth/middleware';
import { PutAssistanceBody } from '../contracts/assistance';
import { HouseholdIdParam } from '../contracts/households';
import { householdNotFound } from '../problems';
import { householdView } from '../views/households';

/**
 * A household's assistance after inclusion (帮扶): its assistance contact (帮扶联系人, kept on the household record)
 * and its one-household plan (一户一方案), read by anyone in the jurisdiction and saved by village, township or
 * county staff on the version they read.
 */
export function assistanceRouter({
  households,
  plans,
}: {
  households: Pick<HouseholdRepository, 'find'>;
  plans: AssistancePlanRepository;
}): Router {
  const router = Router();

  async function household(householdId: string, jurisdiction: string) {
    const found = await households.find(householdId);
    if (!found || !isInJurisdiction(found.divisionCode, jurisdiction)) throw householdNotFound(householdId);
    return found;
  }

  const view = (householdId: string, contact: unknown, plan: AssistancePlan | null) => ({
    householdId,
    contact: contact ?? null,
    version: plan?.version ?? 0,
    measures: (plan?.measures ?? []).map((m) => ({
      ...m,
      kindLabel: MEASURE_KIND_LABELS[m.kind],
      statusLabel: MEASURE_STATUS_LABELS[m.status],
    })),
    updatedAt: plan?.updatedAt ?? null,
    revisions: (plan?.revisions ?? []).map(({ measures, ...r }) => ({ ...r, measureCount: measures.length })).reverse(),
    links: { self: `/households/${householdId}/assistance`, household: `/households/${householdId}` },
  });

  router.get('/households/:householdId/assistance', requireRole(...STAFF, 'ops'), async (req, res) => {
    const { householdId } = parseInput(HouseholdIdParam, req.params, 'path');
    const found = await household(householdId, actorOf(res).jurisdiction);
    res.json(view(householdId, householdView(found).assistanceContact, await plans.find(householdId)));
  });

  router.put('/households/:householdId/assistance', requireRole('village', 'township', 'county'), async (req, res) => {
    const actor = actorOf(res);
    const { householdId } = parseInput(HouseholdIdParam, req.params, 'path');
    const body = parseInput(PutAssistanceBody, req.body, 'assistance plan');
    const found = await household(householdId, actor.jurisdiction);
    const saved = await plans.save(
      { householdId, divisionCode: found.divisionCode, measures: body.measures, expectedVersion: body.version },
      { userId: actor.userId, role: actor.role, ...(actor.name ? { name: actor.name } : {}) },
      body.note,
    );
    if (saved.status === 'conflict')
      throw new AppError(
        'CONFLICT',
        {
          zh: `帮扶方案已被他人修改（当前为第 ${saved.currentVersion} 版），请刷新后再保存。`,
          en: `Someone else saved the plan meanwhile (now version ${saved.currentVersion}); reload and save again.`,
        },
        { currentVersion: saved.currentVersion },
      );
    res.json(view(householdId, householdView(found).assistanceContact, saved.plan));
  });

  return router;
}
