import { Router } from 'express';
import { parseInput } from '../../common/http/validate';
import type { ActionRequest } from '../../workflows/messages';
import { actorOf, listScope, requireRole } from '../auth/middleware';
import { shanghaiDateOf } from '../../domain/dates';
import { LATE_COLUMNS, startXlsxDownload, writeXlsx } from '../views/xlsx';
import { ClaimNoParam } from '../contracts/claims';
import { OpsActionBodies, OpsActionParam, OpsLateExportQuery, OpsListQuery, OpsScopeQuery } from '../contracts/ops';
import type { OpsService } from '../services/ops';
import { claimStateView } from '../views/claims';

/** The ops views (role ops or county), each scoped to the caller's jurisdiction or a division inside it. */
export function opsRouter({ ops }: { ops: OpsService }): Router {
  const router = Router();
  router.use('/ops', requireRole('ops', 'county'));

  router.get('/ops/summary', async (req, res) => {
    const { division } = parseInput(OpsScopeQuery, req.query, 'query');
    res.json(await ops.summary(listScope(actorOf(res), division)));
  });

  router.get('/ops/late', async (req, res) => {
    const { division, limit } = parseInput(OpsListQuery, req.query, 'query');
    res.json(await ops.late(listScope(actorOf(res), division), limit));
  });

  /** The late list as .xlsx (the same rows, up to 200): who must act, due when, how late, in Beijing time. */
  router.get('/ops/late/export', async (req, res) => {
    const { division, limit } = parseInput(OpsLateExportQuery, req.query, 'query');
    const scope = listScope(actorOf(res), division);
    const late = await ops.late(scope, limit);
    const generatedAt = new Date(late.asOf);
    const day = shanghaiDateOf(generatedAt);
    startXlsxDownload(res, `late-${scope}-${day}.xlsx`, `超时案件-${scope}-${day}.xlsx`);
    await writeXlsx(res, {
      sheet: '超时案件',
      title: `超时（SLA）案件清单（辖区 ${scope}）`,
      columns: LATE_COLUMNS,
      rows: [late.items],
      generatedAt,
    });
    res.end();
  });

  router.get('/ops/attention', async (req, res) => {
    const { division, limit } = parseInput(OpsListQuery, req.query, 'query');
    res.json(await ops.attention(listScope(actorOf(res), division), limit));
  });

  router.get('/ops/stuck', async (req, res) => {
    const { division, limit } = parseInput(OpsListQuery, req.query, 'query');
    res.json(await ops.stuck(listScope(actorOf(res), division), limit));
  });

  router.get('/ops/failing-activities', async (req, res) => {
    const { division, limit } = parseInput(OpsListQuery, req.query, 'query');
    res.json(await ops.failing(listScope(actorOf(res), division), limit));
  });

  router.get('/ops/claims/:claimNo', async (req, res) => {
    const { claimNo } = parseInput(ClaimNoParam, req.params, 'path');
    res.locals.claimNo = claimNo;
    res.json(await ops.explain(claimNo, actorOf(res)));
  });

  router.post('/ops/claims/:claimNo/actions/:action', async (req, res) => {
    const { claimNo, action } = parseInput(OpsActionParam, req.params, 'path');
    res.locals.claimNo = claimNo;
    const body = parseInput(OpsActionBodies[action], req.body ?? {}, `${action} request`);
    const state = await ops.act(claimNo, { action, actor: actorOf(res), ...body } as ActionRequest);
    res.json(claimStateView(state));
  });

  return router;
}
