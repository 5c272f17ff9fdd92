import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../common/http/validate';
import { VillageCodeSchema } from '../../domain/divisions';
import { DeclareDisasterSchema, DisasterIdSchema, EnterLossesSchema } from '../../domain/disaster';
import { actorOf, requireRole, STAFF } from '../auth/middleware';
import type { DisasterService } from '../services/disasters';
import type { ImportService } from '../services/imports';

const EventParam = z.strictObject({ eventId: DisasterIdSchema });
const VillageQuery = z.strictObject({ village: VillageCodeSchema.optional() });
const RequiredVillageQuery = z.strictObject({ village: VillageCodeSchema });

/** 灾情批量报案: declare an event, enter the households' losses, file them as a batch, follow its progress. */
export function disasterRouter({ disasters, imports }: { disasters: DisasterService; imports: ImportService }): Router {
  const router = Router();

  router.post('/disasters', requireRole('township', 'county'), async (req, res) => {
    const input = parseInput(DeclareDisasterSchema, req.body, 'disaster');
    const event = await disasters.declare(actorOf(res), input);
    res.status(201).location(`/disasters/${event.eventId}`).json(event);
  });

  router.get('/disasters', requireRole(...STAFF), async (_req, res) => {
    res.json({ items: await disasters.recent(actorOf(res)) });
  });

  router.get('/disasters/:eventId', requireRole(...STAFF), async (req, res) => {
    const { eventId } = parseInput(EventParam, req.params, 'path');
    const { village } = parseInput(VillageQuery, req.query, 'query');
    res.json(await disasters.progress(actorOf(res), eventId, village));
  });

  router.get('/disasters/:eventId/households', requireRole(...STAFF), async (req, res) => {
    const { eventId } = parseInput(EventParam, req.params, 'path');
    const { village } = parseInput(RequiredVillageQuery, req.query, 'query');
    res.json(await disasters.households(actorOf(res), eventId, village));
  });

  router.post('/disasters/:eventId/losses', requireRole(...STAFF), async (req, res) => {
    const { eventId } = parseInput(EventParam, req.params, 'path');
    const { entries } = parseInput(EnterLossesSchema, req.body, 'losses');
    const results = await disasters.enter(actorOf(res), eventId, entries);
    const counts = { entered: 0, replaced: 0, settled: 0, refused: 0 };
    for (const r of results) counts[r.result] += 1;
    res.json({ eventId, counts, results });
  });

  router.post('/disasters/:eventId/file', requireRole(...STAFF), async (req, res) => {
    const { eventId } = parseInput(EventParam, req.params, 'path');
    const actor = actorOf(res);
    const event = await disasters.visible(actor, eventId);
    const job = await imports.startBatch(actor, event);
    res
      .status(202)
      .location(`/imports/${job.id}`)
      .json({ ...job, links: { self: `/imports/${job.id}`, event: `/disasters/${eventId}` } });
  });

  return router;
}
