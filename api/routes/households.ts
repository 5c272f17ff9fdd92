import { Router, type Response } from 'express';
import { AppError, fieldError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import { isInJurisdiction } from '../../domain/divisions';
import { SENSITIVE_CHANGE_LABELS } from '../../domain/household-change';
import type { ExposureRepository } from '../../db/repositories/exposure';
import type { HouseholdRepository, HouseholdVersion } from '../../db/repositories/households';
import { actorOf, listScope, requireRole, STAFF } from '../auth/middleware';
import {
  HouseholdChangeParam,
  HouseholdDecisionBody,
  HouseholdIdParam,
  PutHouseholdBody,
  PutHouseholdQuery,
  SearchHouseholdsBody,
  SearchHouseholdsQuery,
} from '../contracts/households';
import { householdNotFound } from '../problems';
import type { ClaimService } from '../services/claims';
import { createHouseholdService } from '../services/households';
import { exposureView } from '../views/exposure';
import { householdView } from '../views/households';

/** Household registration and lookup, always inside the caller's jurisdiction. */
export function householdRouter({
  households,
  exposure,
  claimService,
}: {
  households: HouseholdRepository;
  exposure: ExposureRepository;
  claimService: ClaimService;
}): Router {
  const router = Router();
  const service = createHouseholdService({ households, claimService });

  /** The change applied; its open claims are told now, or by the next sweep if Temporal cannot be reached. */
  async function tell(householdId: string, version: HouseholdVersion): Promise<void> {
    try {
      await claimService.tellOpenClaims(householdId, version);
    } catch {
      // left untold in the record (notified: false): tellUntoldChanges retries it
    }
  }

  async function inJurisdiction(householdId: string, jurisdiction: string) {
    const household = await households.find(householdId);
    if (!household || !isInJurisdiction(household.divisionCode, jurisdiction)) throw householdNotFound(householdId);
    return household;
  }

  async function search(
    res: Response,
    query: { division?: string; category?: string; name?: string; idSuffix?: string; residentId?: string },
    limit: number,
    cursor?: string,
  ) {
    const scope = listScope(actorOf(res), query.division);
    const page = await households.search(
      { scope, category: query.category, name: query.name, idSuffix: query.idSuffix, residentId: query.residentId },
      limit,
      cursor,
    );
    res.json({ items: page.items.map(householdView), nextCursor: page.nextCursor });
  }

  router.get('/households', async (req, res) => {
    const query = parseInput(SearchHouseholdsQuery, req.query, 'query');
    await search(res, query, query.limit, query.cursor);
  });

  /** The search by a full resident ID (and every other filter), with the ID in the body, never in the URL. */
  router.post('/households/search', async (req, res) => {
    const body = parseInput(SearchHouseholdsBody, req.body, 'search');
    await search(res, body, body.limit, body.cursor);
  });

  router.get('/households/:householdId', async (req, res) => {
    const { householdId } = parseInput(HouseholdIdParam, req.params, 'path');
    res.json(householdView(await inJurisdiction(householdId, actorOf(res).jurisdiction)));
  });

  /** The household's exposure ledger: per year, line and insurer, each cap's reserved, paid and remaining money. */
  router.get('/households/:householdId/exposure', async (req, res) => {
    const { householdId } = parseInput(HouseholdIdParam, req.params, 'path');
    await inJurisdiction(householdId, actorOf(res).jurisdiction);
    res.json(exposureView(householdId, (await exposure.forHousehold(householdId)) as Parameters<typeof exposureView>[1]));
  });

  /** The record's versions (who, when, why, which fields, before and after, numbers masked) and its pending changes. */
  router.get('/households/:householdId/changes', async (req, res) => {
    const { householdId } = parseInput(HouseholdIdParam, req.params, 'path');
    await inJurisdiction(householdId, actorOf(res).jurisdiction);
    res.json({ householdId, ...(await households.history(householdId)) });
  });

  /**
   * Registers or updates a household (the whole validated record). A change of the category history, a member's
   * removal, departure or death, the payout account or the village waits for a second person (202, pending, with a
   * required `?reason=`); anything else applies at once (200, or 201 when registered). Every change is versioned.
   */
  router.put('/households/:householdId', requireRole(...STAFF), async (req, res) => {
    const actor = actorOf(res);
    const { householdId } = parseInput(HouseholdIdParam, req.params, 'path');
    const { reason } = parseInput(PutHouseholdQuery, req.query, 'query');
    const household = parseInput(PutHouseholdBody, req.body, 'household');
    if (household.householdId !== householdId) {
      throw new AppError(
        'VALIDATION_FAILED',
        { zh: '请求内容中的户编号与路径中的不一致。', en: 'The body names another household than the path.' },
        { fieldErrors: [fieldError('householdId', '须与路径中的户编号一致', 'must equal the path')] },
      );
    }
    const result = await service.put(actor, household, { ...(reason ? { reason } : {}), source: { kind: 'household_api' } });
    switch (result.status) {
      case 'pending':
        res.status(202).json({
          householdId,
          changeId: result.changeId,
          status: 'pending',
          needsApprovalFor: result.sensitive.map((s) => ({ change: s, ...SENSITIVE_CHANGE_LABELS[s] })),
          detail: '该变更需另一名工作人员审核后生效 this change applies once another staff member approves it',
        });
        return;
      case 'applied':
        res.status(result.created ? 201 : 200).json(householdView(household));
        return;
      case 'unchanged':
        res.status(200).json(householdView(household));
        return;
    }
  });

  /** A second staff member (never the one who asked) approves or rejects a pending change. */
  router.post('/households/:householdId/changes/:changeId/:decision', requireRole(...STAFF), async (req, res) => {
    const actor = actorOf(res);
    const { householdId, changeId, decision } = parseInput(HouseholdChangeParam, req.params, 'path');
    const { reason } = parseInput(HouseholdDecisionBody, req.body ?? {}, `${decision} request`);
    if (decision === 'reject' && !reason)
      throw new AppError(
        'VALIDATION_FAILED',
        { zh: '驳回必须说明原因。', en: 'A rejection needs a reason.' },
        { fieldErrors: [fieldError('reason', '必填', 'required')] },
      );
    await inJurisdiction(householdId, actor.jurisdiction);
    const result = await households.decide(householdId, changeId, {
      approve: decision === 'approve',
      by: { userId: actor.userId, role: actor.role },
      ...(reason ? { reason } : {}),
    });
    switch (result.status) {
      case 'not_found':
        throw new AppError('NOT_FOUND', {
          zh: `农户 ${householdId} 没有变更 ${changeId}。`,
          en: `No change ${changeId} of household ${householdId}.`,
        });
      case 'self_approval':
        throw new AppError(
          'FORBIDDEN',
          { zh: '任何人不得审核自己提出的农户变更。', en: 'Nobody may decide a household change they asked for.' },
          { failure: 'ERR_SELF_APPROVAL' },
        );
      case 'stale':
        throw new AppError('CONFLICT', {
          zh: '提出此变更后农户信息已有改动：请在最新记录上重新提出。',
          en: 'The household changed since this change was asked for: ask for it again on the current record.',
        });
      case 'rejected':
        res.json({ householdId, changeId, status: 'rejected' });
        return;
      case 'applied':
        if (!result.version.notified) await tell(householdId, result.version);
        res.json({ householdId, changeId, status: 'applied', household: householdView(result.household) });
        return;
    }
  });

  return router;
}
