import { Router } from 'express';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import { isInJurisdiction } from '../../domain/divisions';
import type { HouseholdRepository } from '../../db/repositories/households';
import { actorOf, listScope, requireRole } from '../auth/middleware';
import { HouseholdIdParam, PutHouseholdBody, SearchHouseholdsQuery } from '../contracts/households';
import { householdView } from '../views/households';

/** Household registration and lookup, always inside the caller's jurisdiction. */
export function householdRouter({ households }: { households: HouseholdRepository }): Router {
  const router = Router();

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
    const household = await households.find(householdId);
    if (!household) throw new AppError('NOT_FOUND', `No household ${householdId}.`);
    if (!isInJurisdiction(household.divisionCode, actorOf(res).jurisdiction))
      throw new AppError('FORBIDDEN', `Household ${householdId} is outside your jurisdiction.`);
    res.json(householdView(household));
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
    await households.save(household);
    res.status(existing ? 200 : 201).json(householdView(household));
  });

  return router;
}
