import { Router } from 'express';
import { parseInput } from '../../common/http/validate';
import { actorOf, requireRole, STAFF } from '../auth/middleware';
import { QueueQuery } from '../contracts/ops';
import type { OpsService } from '../services/ops';

/** 待我处理: the claims waiting for the caller's role in the caller's jurisdiction. */
export function queueRouter({ ops }: { ops: OpsService }): Router {
  const router = Router();
  router.get('/queue', requireRole(...STAFF), async (req, res) => {
    const { limit } = parseInput(QueueQuery, req.query, 'query');
    const actor = actorOf(res);
    res.json(await ops.queue(actor.role, actor.jurisdiction, limit));
  });
  return router;
}
