import { Router } from 'express';
import { AppError, fieldError } from '../../common/errors';
import { fromDependencyError } from '../../common/http/problem';
import { parseInput } from '../../common/http/validate';
import { isInJurisdiction } from '../../domain/divisions';
import { decodeCursor, type ClaimListFilter, type ClaimRepository } from '../../db/repositories/claims';
import { shanghaiDateOf } from '../../domain/dates';
import type { Actor } from '../../workflows/claim/types';
import { CLAIM_COLUMNS, startXlsxDownload, writeXlsx } from '../views/xlsx';
import type { IdempotencyRepository } from '../../db/repositories/idempotency';
import type { ActionRequest } from '../../workflows/messages';
import { actorOf, listScope, requireRole, STAFF } from '../auth/middleware';
import {
  ActionBodies,
  ActionParam,
  AppealBody,
  ClaimNoParam,
  ExportClaimsQuery,
  FileClaimBody,
  type ClaimsFilterQuery,
  GetClaimQuery,
  ListClaimsQuery,
  PreviewClaimBody,
} from '../contracts/claims';
import { claimNotFound, invalidCursor } from '../problems';
import type { ClaimService } from '../services/claims';
import { createKeyedFiling, filedAnswer, type FiledAnswer } from '../services/keyed-filing';
import { claimStateView, claimSummaryView } from '../views/claims';

export interface ClaimRouteDeps {
  service: ClaimService;
  claims: ClaimRepository;
  idempotency: IdempotencyRepository;
  /** How long a filing holds its Idempotency-Key before a retry may take it over (a crashed request's). */
  filingLeaseMs?: number;
}

/** Why a claim page lacks its live state: shown to the clerk in both languages. */
const POSSIBLY_STALE = {
  reason: 'workflow_service_unavailable',
  zh: '流程服务暂不可用：以下为读模型中的记录，可能不是最新状态，请稍后刷新。',
  en: 'The workflow service is unavailable: this is the read model, which may be behind; refresh shortly.',
};

/** The live state, or 'unavailable' when Temporal cannot be reached (any other error still fails the request). */
async function liveOrUnavailable<T>(read: () => Promise<T>): Promise<T | 'unavailable'> {
  try {
    return await read();
  } catch (error) {
    if (typeof error === 'object' && error !== null && fromDependencyError(error)) return 'unavailable';
    throw error;
  }
}

/** County staff's claim endpoints. Thin: validate, scope to the caller's jurisdiction, call the use case. */
export function claimRouter({ service, claims, idempotency, filingLeaseMs = 30_000 }: ClaimRouteDeps): Router {
  const router = Router();
  const keyed = createKeyedFiling({ service, idempotency, leaseMs: filingLeaseMs });

  router.post('/claims', requireRole(...STAFF), async (req, res) => {
    const actor = actorOf(res);
    const input = parseInput(FileClaimBody, req.body, 'claim');
    const key = req.get('idempotency-key');
    if (key !== undefined && !/^[A-Za-z0-9._:-]{8,128}$/.test(key)) {
      throw new AppError(
        'VALIDATION_FAILED',
        {
          zh: 'Idempotency-Key 须为 8–128 个字符，只能包含 A–Z a–z 0–9 . _ : -',
          en: 'Idempotency-Key must be 8–128 of A–Z a–z 0–9 . _ : -',
        },
        { fieldErrors: [fieldError('Idempotency-Key', '格式错误', 'malformed')] },
      );
    }
    const respond = (status: number, body: FiledAnswer) => {
      res.locals.claimNo = body.claimNo;
      res.status(status).location(body.links.self).json(body);
    };
    if (!key) return respond(202, filedAnswer(await service.file(input, actor)));
    const filed = await keyed.file(input, actor, key);
    respond(filed.status, filed.body);
  });

  router.post('/claims/preview', requireRole(...STAFF), async (req, res) => {
    const input = parseInput(PreviewClaimBody, req.body, 'claim');
    res.json(await service.preview(input, actorOf(res)));
  });

  /** The list's filter from its query, inside the caller's jurisdiction (the list and its export share it). */
  const filterOf = (actor: Actor, query: ClaimsFilterQuery): ClaimListFilter => ({
    scope: listScope(actor, query.division),
    stage: query.stage,
    status: query.status,
    line: query.line,
    insurerId: query.insurer,
    eventFrom: query.eventFrom,
    eventTo: query.eventTo,
    slaBreached: query.slaBreached,
    claimNoContains: query.q,
    householdId: query.household,
  });

  router.get('/claims', async (req, res) => {
    const actor = actorOf(res);
    const query = parseInput(ListClaimsQuery, req.query, 'query');
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (query.cursor && !cursor) throw invalidCursor();
    const page = await claims.list(filterOf(actor, query), query.limit, cursor);
    res.json({ ...page, items: page.items.map(claimSummaryView) });
  });

  /** The same list as .xlsx (Chinese headers, yuan, Beijing time), streamed page by page in bounded memory. */
  router.get('/exports/claims', async (req, res) => {
    const actor = actorOf(res);
    const filter = filterOf(actor, parseInput(ExportClaimsQuery, req.query, 'query'));
    async function* pages() {
      let cursor: { filedAt: string; claimNo: string } | undefined;
      for (;;) {
        const page = await claims.list(filter, 500, cursor);
        yield page.items;
        cursor = page.nextCursor ? decodeCursor(page.nextCursor) : undefined;
        if (!cursor) return;
      }
    }
    const now = new Date();
    const day = shanghaiDateOf(now);
    startXlsxDownload(res, `claims-${filter.scope}-${day}.xlsx`, `理赔案件-${filter.scope}-${day}.xlsx`);
    await writeXlsx(res, {
      sheet: '理赔案件',
      title: `理赔案件清单（辖区 ${filter.scope}）`,
      columns: CLAIM_COLUMNS,
      rows: pages(),
      generatedAt: now,
    });
    res.end();
  });

  router.get('/claims/:claimNo', async (req, res) => {
    const actor = actorOf(res);
    const { claimNo } = parseInput(ClaimNoParam, req.params, 'path');
    const { include } = parseInput(GetClaimQuery, req.query, 'query');
    // A claim filed a moment ago may not be in the read model yet (its workflow writes it): then its workflow answers.
    // The trail is read alongside (one round trip, not two) and shown only once the claim is known to be the caller's.
    const [claim, timeline] = await Promise.all([service.findFiled(claimNo), claims.events(claimNo)]);
    if (!claim || !isInJurisdiction(claim.divisionCode, actor.jurisdiction)) throw claimNotFound(claimNo);
    const { eventKey: _e, documentKeys: _d, overlapKey: _o, ...summary } = claim;
    // The read model and the audit trail serve the page; the workflow is asked only when its live state is wanted,
    // and while Temporal is away the page is still served, from the read model, marked as possibly behind.
    const live = include === 'live' ? await liveOrUnavailable(() => service.state(claimNo)) : undefined;
    res.json({
      claim: claimSummaryView(summary),
      timeline,
      ...(live && live !== 'unavailable' ? { live: claimStateView(live) } : {}),
      ...(live === 'unavailable' ? { possiblyStale: POSSIBLY_STALE } : {}),
    });
  });

  router.post('/claims/:claimNo/actions/:action', requireRole(...STAFF), async (req, res) => {
    const actor = actorOf(res);
    const { claimNo, action } = parseInput(ActionParam, req.params, 'path');
    const body = parseInput(ActionBodies[action], req.body ?? {}, `${action} request`);
    // Jurisdiction here as well as in the workflow's validator: outsiders learn nothing about the claim's stage.
    const claim = await service.findFiled(claimNo);
    if (!claim || !isInJurisdiction(claim.divisionCode, actor.jurisdiction)) throw claimNotFound(claimNo);
    const state = await service.act(claimNo, { action, actor, ...body } as ActionRequest);
    res.json(claimStateView(state));
  });

  router.post('/claims/:claimNo/appeal', requireRole(...STAFF), async (req, res) => {
    const { claimNo } = parseInput(ClaimNoParam, req.params, 'path');
    const body = parseInput(AppealBody, req.body, 'appeal');
    const appeal = await service.appeal(claimNo, actorOf(res), body);
    res
      .status(202)
      .location(`/claims/${appeal.claimNo}`)
      .json({ ...appeal, links: { self: `/claims/${appeal.claimNo}`, appealOf: `/claims/${claimNo}` } });
  });

  return router;
}
