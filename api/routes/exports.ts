import { Router } from 'express';
import { parseInput } from '../../common/http/validate';
import type { ClaimRepository } from '../../db/repositories/claims';
import type { ExposureRepository } from '../../db/repositories/exposure';
import type { HouseholdRepository } from '../../db/repositories/households';
import { addDays, shanghaiDateOf, startOfShanghaiDay } from '../../domain/dates';
import { maskName, maskTail, mayReadPayeeNames } from '../../domain/masking';
import { ROSTER_COLUMNS, ROSTER_SHEET, rosterRowsOf, type RosterKey } from '../../domain/roster-sheet';
import { actorOf, listScope, requireRole } from '../auth/middleware';
import { ExportExposureQuery, ExportPayoutsQuery, ExportRosterQuery } from '../contracts/exports';
import {
  EXPOSURE_COLUMNS,
  PAYOUT_COLUMNS,
  PAYOUT_TOTAL_COLUMNS,
  startXlsxDownload,
  writeXlsx,
  type ExposureRow,
  type PayoutRow,
  type PayoutTotal,
} from '../views/xlsx';

/** The county's money reports as .xlsx: payouts settled in a period (with totals by line and insurer), and exposure. */
export function exportRouter({
  claims,
  exposure,
  households,
}: {
  claims: ClaimRepository;
  exposure: ExposureRepository;
  households: HouseholdRepository;
}): Router {
  const router = Router();
  const readers = requireRole('village', 'township', 'county', 'ops');

  router.get('/exports/payouts', readers, async (req, res) => {
    const actor = actorOf(res);
    const query = parseInput(ExportPayoutsQuery, req.query, 'query');
    const scope = listScope(actor, query.division);
    const from = startOfShanghaiDay(query.from).toISOString();
    const to = startOfShanghaiDay(addDays(query.to, 1)).toISOString();
    const payee = mayReadPayeeNames(actor.role) ? (name: string) => name : maskName;
    const totals = new Map<string, PayoutTotal>();
    async function* rows(): AsyncGenerator<PayoutRow[]> {
      for await (const page of claims.settledPayouts({ scope, from, to, line: query.line, insurerId: query.insurer })) {
        const settled: PayoutRow[] = [];
        for (const claim of page) {
          for (const installment of claim.installments) {
            const at = installment.settledAt;
            if (!at || at < from || at >= to || installment.status === 'instructed') continue;
            settled.push({ ...claim, installment, payee: payee(installment.account.holderName) });
            const key = `${claim.line}|${claim.insurerId ?? ''}`;
            const total = totals.get(key) ?? {
              line: claim.line,
              insurerId: claim.insurerId ?? '',
              confirmed: 0,
              confirmedFen: 0,
              bounced: 0,
              bouncedFen: 0,
            };
            if (installment.status === 'confirmed') {
              total.confirmed += 1;
              total.confirmedFen += installment.amountFen;
            } else {
              total.bounced += 1;
              total.bouncedFen += installment.amountFen;
            }
            totals.set(key, total);
          }
        }
        yield settled.sort((a, b) => (a.installment.settledAt ?? '').localeCompare(b.installment.settledAt ?? ''));
      }
    }
    const now = new Date();
    const period = `${query.from}至${query.to}`;
    startXlsxDownload(res, `payouts-${scope}-${query.from}-${query.to}.xlsx`, `赔款支付-${scope}-${period}.xlsx`);
    await writeXlsx(res, {
      sheet: '赔款支付明细',
      title: `赔款支付明细（辖区 ${scope}，${period}，北京时间）`,
      columns: PAYOUT_COLUMNS,
      rows: rows(),
      generatedAt: now,
      summary: () => ({
        sheet: '按险种和保险公司汇总',
        columns: PAYOUT_TOTAL_COLUMNS,
        rows: [...totals.values()].sort((a, b) => a.line.localeCompare(b.line) || a.insurerId.localeCompare(b.insurerId)),
      }),
    });
    res.end();
  });

  /** The roster in the import template's layout, numbers masked as on every staff page: edit it and import it back. */
  router.get('/exports/roster', requireRole('village', 'township', 'county'), async (req, res) => {
    const actor = actorOf(res);
    const query = parseInput(ExportRosterQuery, req.query, 'query');
    const scope = listScope(actor, query.division);
    const now = new Date();
    const year = query.year ?? Number(shanghaiDateOf(now).slice(0, 4));
    async function* rows() {
      let cursor: string | undefined;
      for (;;) {
        const page = await households.search({ scope }, 200, cursor);
        yield page.items.flatMap((h) => rosterRowsOf(h, year, (v) => maskTail(v)));
        if (!page.nextCursor) return;
        cursor = page.nextCursor;
      }
    }
    const day = shanghaiDateOf(now);
    startXlsxDownload(res, `roster-${scope}-${year}-${day}.xlsx`, `农户花名册-${scope}-${year}-${day}.xlsx`);
    await writeXlsx(res, {
      sheet: ROSTER_SHEET,
      title: `农户花名册（辖区 ${scope}，${year} 年参保）：证件号、卡号、电话只显示末 4 位；修改后可直接导入，未改动的号码保持原值`,
      columns: ROSTER_COLUMNS.map((c) => ({
        header: c.required ? `${c.header}*` : c.header,
        width: c.width,
        value: (r: Partial<Record<RosterKey, string>>) => r[c.key] ?? null,
      })),
      rows: rows(),
      generatedAt: now,
    });
    res.end();
  });

  router.get('/exports/exposure', readers, async (req, res) => {
    const actor = actorOf(res);
    const query = parseInput(ExportExposureQuery, req.query, 'query');
    const scope = listScope(actor, query.division);
    async function* rows(): AsyncGenerator<ExposureRow[]> {
      for await (const page of households.idsInScope(scope)) {
        const village = new Map(page.map((h) => [h.householdId, h.divisionCode]));
        const buckets = await exposure.forHouseholds([...village.keys()], query.year);
        yield buckets.map((b) => ({ ...b, divisionCode: village.get(b.householdId) ?? '' }));
      }
    }
    const now = new Date();
    const day = shanghaiDateOf(now);
    const year = query.year ? `-${query.year}` : '';
    startXlsxDownload(res, `exposure-${scope}${year}-${day}.xlsx`, `户赔付额度-${scope}${year}-${day}.xlsx`);
    await writeXlsx(res, {
      sheet: '户赔付额度',
      title: `各户赔付额度占用（辖区 ${scope}${query.year ? `，${query.year} 保单年度` : ''}）`,
      columns: EXPOSURE_COLUMNS,
      rows: rows(),
      generatedAt: now,
    });
    res.end();
  });

  return router;
}
