import ExcelJS from 'exceljs';
import { pollUntil } from '../../common/poll';
import { addDays, shanghaiDateOf } from '../../domain/dates';
import { maskName } from '../../domain/masking';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { Actor } from '../../workflows/claim/types';

/** The county's money reports: payouts settled in a period (totals by line and insurer), and the exposure per household. */
describe('payouts and exposure exports (.xlsx)', () => {
  let h: ClaimHarness;
  const paid: { claimNo: string; householdId: string; paidFen: number; payee: string; insurerId: string }[] = [];
  beforeAll(async () => {
    h = await startClaimHarness();
    const claimNos = [await h.approvedByCounty(), await h.approvedByCounty()];
    for (const claimNo of claimNos) {
      const state = await h.waitFor(claimNo, 'closed', (s) => s.status === 'paid', 60_000);
      paid.push({
        claimNo,
        householdId: state.claim.householdId,
        paidFen: state.paidFen,
        payee: state.installments[0]!.account.holderName,
        insurerId: (await h.claims.find(claimNo))!.insurerId!,
      });
    }
    await pollUntil('the payouts in the read model', async () => {
      const rows = await Promise.all(claimNos.map((no) => h.claims.find(no)));
      return rows.every((r) => r?.status === 'paid' && r.installments.every((i) => i.settledAt)) ? true : undefined;
    });
  }, 150_000);
  afterAll(() => h.stop());

  async function get(actor: Actor, path: string) {
    const res = await fetch(`${h.apiUrl}${path}`, { headers: { authorization: `Bearer ${await tokenFor(actor)}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }
  async function workbookOf(bytes: Buffer) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const rowsOf = (sheet: ExcelJS.Worksheet) => {
      const rows: (string | number | null)[][] = [];
      sheet.eachRow((row) => rows.push((row.values as (string | number | null)[]).slice(1)));
      return rows;
    };
    return { names: workbook.worksheets.map((s) => s.name), sheets: workbook.worksheets.map(rowsOf) };
  }
  const today = () => shanghaiDateOf(new Date());
  // yesterday too: a payment made just before midnight, Beijing time, is still in the period
  const period = () => `from=${addDays(today(), -1)}&to=${today()}`;

  it('lists each payment settled in the period, with totals by line and insurer, payees in full for the county only', async () => {
    const answer = await get(people.county, `/exports/payouts?${period()}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toContain(encodeURIComponent('赔款支付'));
    const { names, sheets } = await workbookOf(answer.bytes);
    expect(names).toEqual(['赔款支付明细', '按险种和保险公司汇总', '说明']);
    const [detail, totals] = sheets as [(string | number | null)[][], (string | number | null)[][]];
    expect(detail[0]).toEqual([
      '结算时间（北京时间）',
      '案件编号',
      '户编号',
      '村（区划代码）',
      '险种',
      '保险公司',
      '保单年度',
      '期次',
      '金额（元）',
      '结果',
      '收款人',
      '卡号尾号',
      '银行流水号',
      '退票原因',
    ]);
    for (const p of paid) {
      const row = detail.find((r) => r[1] === p.claimNo)!;
      expect(row).toBeDefined();
      expect(row.slice(2, 6)).toEqual([p.householdId, '341324105003', '家庭财产', p.insurerId]);
      expect(row[8]).toBe(p.paidFen / 100);
      expect(row[9]).toBe('已到账');
      expect(row[10]).toBe(p.payee);
      expect(String(row[11])).toMatch(/^\d{4}$/);
      expect(String(row[0])).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    }
    const insurer = paid[0]!.insurerId;
    const total = totals.find((r) => r[0] === '家庭财产' && r[1] === insurer)!;
    const mine = detail.slice(1).filter((r) => r[4] === '家庭财产' && r[5] === insurer && r[9] === '已到账');
    expect(total[2]).toBe(mine.length);
    expect(total[3]).toBeCloseTo(
      mine.reduce((sum, r) => sum + Number(r[8]), 0),
      2,
    );

    // the township sees the same payments with the payees' names masked
    const township = (await workbookOf((await get(people.township, `/exports/payouts?${period()}`)).bytes)).sheets[0]!;
    for (const p of paid) expect(township.find((r) => r[1] === p.claimNo)?.[10]).toBe(maskName(p.payee));
    // another village, and a period before the payments, hold none of them
    const elsewhere = (await workbookOf((await get(people.otherVillage, `/exports/payouts?${period()}`)).bytes)).sheets[0]!;
    expect(elsewhere).toHaveLength(1);
    const before = (await workbookOf((await get(people.county, '/exports/payouts?from=2025-01-01&to=2025-12-31')).bytes))
      .sheets[0]!;
    expect(before.filter((r) => paid.some((p) => p.claimNo === r[1]))).toEqual([]);
  });

  it('refuses a bad period field by field', async () => {
    const answer = await get(people.county, '/exports/payouts?from=2026-07-10&to=2026-07-01&line=nonsense');
    expect(answer.status).toBe(400);
    const problem = JSON.parse(answer.bytes.toString('utf8')) as { fieldErrors: { path: string }[] };
    expect(problem.fieldErrors.map((f) => f.path).sort()).toEqual(['line']);
    const reversed = JSON.parse(
      (await get(people.county, '/exports/payouts?from=2026-07-10&to=2026-07-01')).bytes.toString('utf8'),
    ) as {
      fieldErrors: { path: string }[];
    };
    expect(reversed.fieldErrors.map((f) => f.path)).toEqual(['to']);
    expect((await get(people.county, '/exports/payouts?from=2026-07-10')).status).toBe(400);
  });

  it("exports each household's caps with what is held, paid and left", async () => {
    const answer = await get(people.township, '/exports/exposure');
    expect(answer.status).toBe(200);
    const rows = (await workbookOf(answer.bytes)).sheets[0]!;
    expect(rows[0]).toEqual([
      '户编号',
      '村（区划代码）',
      '保单年度',
      '险种',
      '保险公司',
      '限额项目',
      '限额（元）',
      '已占用（元）',
      '其中已支付（元）',
      '剩余额度（元）',
    ]);
    for (const p of paid) {
      const own = rows.filter((r) => r[0] === p.householdId);
      expect(own.length).toBeGreaterThan(0);
      for (const r of own) {
        expect(r.slice(1, 5)).toEqual(['341324105003', expect.any(Number), '家庭财产', p.insurerId]);
        expect(r[8]).toBe(p.paidFen / 100);
        expect(Number(r[9])).toBeCloseTo(Number(r[6]) - Number(r[7]), 2);
      }
    }
    const elsewhere = (await workbookOf((await get(people.otherVillage, '/exports/exposure')).bytes)).sheets[0]!;
    expect(elsewhere.filter((r) => paid.some((p) => p.householdId === r[0]))).toEqual([]);
    expect((await get(people.county, '/exports/exposure?year=abc')).status).toBe(400);
  });
});
