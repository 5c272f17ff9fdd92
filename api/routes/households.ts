import { Router } from 'express';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import { isInJurisdiction } from '../../domain/divisions';
import type { ExposureRepository } from '../../db/repositories/exposure';
import type { HouseholdRepository } from '../../db/repositories/households';
import { actorOf, listScope, requireRole } from '../auth/middleware';
import { HouseholdIdParam, PutHouseholdBody, SearchHouseholdsQuery } from '../contracts/households';
import { exposureView } from '../views/exposure';
import { householdView } from '../views/households';

/** Household registration and lookup, always inside the caller's jurisdiction. */
export function householdRouter({
  households,
  exposure,
}: {
  households: HouseholdRepository;
  exposure: ExposureRepository;
}): Router {
  const router = Router();

  async function inJurisdiction(householdId: string, jurisdiction: string) {
    const household = await households.find(householdId);
    if (!household) throw new AppError('NOT_FOUND', `No household ${householdId}.`);
    if (!isInJurisdiction(household.divisionCode, jurisdiction))
      throw new AppError('FORBIDDEN', `Household ${householdId} is outside your jurisdiction.`);
    return household;
  }

  router.get('/households', async (req, res) => {
    const actor = actorOf(res);
    const query = parseInput(SearchHouseholdsQuery, req.query, 'query');
    const scope = listScope(actor, query.division);
    const page = await households.search(
      { scope, category: query.category, name: query.name, idSuffix: query.idSuffix, residentId: query.residentId },
      query.limit,
      query.cursor,
    );
    res.json({ items: page.items.map(householdView), nextCursor: page.nextCursor });
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

  /** Who changed the household record, when, why and what (personal numbers masked), newest first. */
  router.get('/households/:householdId/changes', async (req, res) => {
    const { householdId } = parseInput(HouseholdIdParam, req.params, 'path');
    await inJurisdiction(householdId, actorOf(res).jurisdiction);
    const items = await households.changes(householdId);
    res.json({ householdId, items: items.map(({ _id, ...c }) => ({ changeId: _id, ...c, at: c.at.toISOString() })) });
  });

  /** Registers or updates a household (the whole validated record). */
  router.put('/households/:householdId', requireRole('village', 'township', 'county'), async (req, res) => {
    const actor = actorOf(res);
    const { householdId } = parseInput(HouseholdIdParam, req.params, 'path');
    const household = parseInput(PutHouseholdBody, req.body, 'household');
    if (household.householdId !== householdId) {
      throw new AppError('VALIDATION_FAILED', 'The body names another household than the path.', {
        fieldErrors: [{ path: 'householdId', message: 'must equal the path' }],
      });
    }
    if (!isInJurisdiction(household.divisionCode, actor.jurisdiction))
      throw new AppError('FORBIDDEN', `Village ${household.divisionCode} is outside your jurisdiction.`);
    const existing = await households.find(householdId);
    if (existing && !isInJurisdiction(existing.divisionCode, actor.jurisdiction))
      throw new AppError('FORBIDDEN', `Household ${householdId} is outside your jurisdiction.`);
    await households.change(household, { by: { userId: actor.userId, role: actor.role }, source: { kind: 'household_api' } });
    res.status(existing ? 200 : 201).json(householdView(household));
  });

  return router;
}
