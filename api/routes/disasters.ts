import express, { Router } from 'express';
import { AppError } from '../../common/errors';
import { z } from 'zod';
import { parseInput } from '../../common/http/validate';
import { DeclareDisasterSchema, DisasterIdSchema, EnterLossesSchema } from '../../domain/disaster';
import { actorOf, requireRole, STAFF } from '../auth/middleware';
import type { DisasterService } from '../services/disasters';
import type { ImportService } from '../services/imports';
import { readLossSheet, writeLossSheet } from '../imports/loss-sheet';
import { NotAWorkbook } from '../imports/xlsx-rows';
import { startXlsxDownload } from '../views/xlsx';
import { VillageCodeSchema } from '../../domain/value-schemas';

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

  /** The loss sheet of an affected village: its enrolled households, one row per line, to fill in Excel. */
  router.get('/disasters/:eventId/sheet', requireRole(...STAFF), async (req, res) => {
    const { eventId } = parseInput(EventParam, req.params, 'path');
    const { village } = parseInput(RequiredVillageQuery, req.query, 'query');
    const { event, households } = await disasters.households(actorOf(res), eventId, village);
    const rows = households.flatMap((h) =>
      h.lines.filter((l) => l.status !== 'filed').map((l) => ({ householdId: h.householdId, head: h.head, line: l.line })),
    );
    startXlsxDownload(res, `losses-${eventId}-${village}.xlsx`, `损失登记表-${event.name}-${village}.xlsx`);
    await writeLossSheet(
      res,
      `${event.name}（${event.eventDate}）损失登记表：村 ${village}；填写损失后上传，未填写的行不登记`,
      rows,
    );
    res.end();
  });

  /** The filled sheet uploaded: its rows with a loss entered like POST …/losses, each answered with its row number. */
  router.post(
    '/disasters/:eventId/sheet',
    requireRole(...STAFF),
    express.raw({ type: () => true, limit: '5mb' }),
    async (req, res) => {
      const { eventId } = parseInput(EventParam, req.params, 'path');
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let read: Awaited<ReturnType<typeof readLossSheet>>;
      try {
        read = await readLossSheet(content);
      } catch (error) {
        if (!(error instanceof NotAWorkbook)) throw error;
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
          zh: '请上传 .xlsx 格式的损失登记表。',
          en: 'Upload the loss sheet as .xlsx.',
        });
      }
      const whole = read.problems.find((p) => p.row === 0);
      if (whole) throw new AppError('VALIDATION_FAILED', { zh: whole.zh, en: whole.en });
      const results =
        read.entries.length > 0
          ? await disasters.enter(
              actorOf(res),
              eventId,
              read.entries.map((e) => e.entry),
            )
          : [];
      const counts = { entered: 0, replaced: 0, settled: 0, refused: read.problems.length };
      for (const r of results) counts[r.result] += 1;
      res.json({
        eventId,
        counts,
        results: [
          ...results.map(({ index, ...r }) => ({ row: read.entries[index]!.row, ...r })),
          ...read.problems.map((p) => ({
            row: p.row,
            householdId: p.householdId,
            result: 'refused',
            reasons: [{ zh: p.zh, en: p.en }],
          })),
        ].sort((a, b) => a.row - b.row),
      });
    },
  );

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
