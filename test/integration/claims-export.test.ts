import ExcelJS from 'exceljs';
import { pollUntil } from '../../common/poll';
import { formatShanghai } from '../../domain/dates';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { Actor } from '../../workflows/claim/types';

/** The claim list as .xlsx: the same rows as GET /claims, in Chinese, yuan and Beijing time, inside one's jurisdiction. */
describe('claim list export (.xlsx)', () => {
  let h: ClaimHarness;
  const filed: string[] = [];
  let householdId: string;
  beforeAll(async () => {
    // a review clock of 0.5 s: the claims waiting for the village are late at once (for the late list's export)
    h = await startClaimHarness({ ops: { sla: { reviewMs: 500 }, stuckAfterMs: 60_000 } });
    householdId = (await h.newHousehold()).householdId;
    for (const [i, day] of ['2026-07-01', '2026-07-05', '2026-07-09'].entries()) {
      const claim = aPropertyClaim(householdId, {
        eventDate: day,
        reportDate: day,
        loss: { line: 'property', cause: 'fire', assessedLossFen: 300_000 + i * 100_000 },
      });
      filed.push((await h.service.file(claim, people.filer)).claimNo);
    }
    await pollUntil('the claims assessed in the read model', async () => {
      const rows = await Promise.all(filed.map((no) => h.claims.find(no)));
      return rows.every((r) => r?.proposedFen !== null && r?.proposedFen !== undefined) ? true : undefined;
    });
  }, 90_000);
  afterAll(() => h.stop());

  async function get(actor: Actor, path: string) {
    const res = await fetch(`${h.apiUrl}${path}`, { headers: { authorization: `Bearer ${await tokenFor(actor)}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }
  async function sheetOf(bytes: Buffer) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    const rows: (string | number | null)[][] = [];
    sheet.eachRow((row) => rows.push((row.values as (string | number | null)[]).slice(1)));
    return { rows, about: workbook.getWorksheet('说明')! };
  }

  it('holds the rows the list answers, with Chinese headers, yuan with two decimals and Beijing times', async () => {
    const exported = await get(people.filer, `/exports/claims?household=${householdId}`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('spreadsheetml');
    expect(exported.headers.get('content-disposition')).toContain(encodeURIComponent('理赔案件'));
    const { rows, about } = await sheetOf(exported.bytes);
    expect(rows[0]).toEqual([
      '案件编号',
      '户编号',
      '村（区划代码）',
      '险种',
      '环节',
      '状态',
      '出险日期',
      '报案时间（北京时间）',
      '测算赔款（元）',
      '核定赔款（元）',
      '已支付（元）',
      '是否超时',
    ]);
    const listed = (await (
      await fetch(`${h.apiUrl}/claims?household=${householdId}&limit=100`, {
        headers: { authorization: `Bearer ${await tokenFor(people.filer)}` },
      })
    ).json()) as { items: { claimNo: string; divisionCode: string; eventDate: string; filedAt: string; proposedFen: number }[] };
    expect(rows.slice(1).map((r) => r[0])).toEqual(listed.items.map((c) => c.claimNo));
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(filed));
    for (const [i, row] of rows.slice(1).entries()) {
      const claim = listed.items[i]!;
      expect(row.slice(1, 8)).toEqual([
        householdId,
        claim.divisionCode,
        '家庭财产',
        expect.any(String),
        expect.any(String),
        claim.eventDate,
        formatShanghai(claim.filedAt),
      ]);
      expect(row[8]).toBe(claim.proposedFen / 100);
      expect(row[10]).toBe(0);
    }
    expect(about.getCell('A3').text).toBe('共 3 件');
  });

  it('keeps to the caller’s jurisdiction and refuses a bad filter field by field', async () => {
    const elsewhere = await sheetOf((await get(people.otherVillage, `/exports/claims?household=${householdId}`)).bytes);
    expect(elsewhere.rows).toHaveLength(1); // the headers only
    const bad = await get(people.filer, '/exports/claims?stage=nonsense&limit=5');
    expect(bad.status).toBe(400);
    const problem = JSON.parse(bad.bytes.toString('utf8')) as { fieldErrors: { path: string }[] };
    // paging is not an export's: `limit` is refused as an unknown field, beside the bad stage
    expect(problem.fieldErrors.map((f) => f.path).sort()).toEqual(['(body)', 'stage']);
  });

  it('exports the ops late list with who must act, the due time and how late, in Chinese', async () => {
    const late = await pollUntil('the claims on the late list', async () => {
      const answer = await get(people.county, '/ops/late/export');
      const { rows } = await sheetOf(answer.bytes);
      return filed.every((no) => rows.some((r) => r[0] === no)) ? { answer, rows } : undefined;
    });
    expect(late.answer.headers.get('content-disposition')).toContain(encodeURIComponent('超时案件'));
    expect(late.rows[0]).toEqual([
      '案件编号',
      '环节',
      '险种',
      '村（区划代码）',
      '责任方',
      '进入环节（北京时间）',
      '办理时限（北京时间）',
      '已超时',
    ]);
    const row = late.rows.find((r) => r[0] === filed[0])!;
    expect(row.slice(1, 5)).toEqual(['村级审核', '家庭财产', '341324105003', '村级']);
    expect(String(row[7])).toMatch(/秒|分|小时|天/);
    expect((await get(people.filer, '/ops/late/export')).status).toBe(403);
  });
});
