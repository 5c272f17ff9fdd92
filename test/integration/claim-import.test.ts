import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { pollUntil } from '../../common/poll';
import type { ClaimInput } from '../../domain/claim';
import {
  CLAIM_SHEET,
  CLAIM_SHEET_COLUMNS,
  claimFromRow,
  claimRowKey,
  rowContent,
  type ClaimSheetKey,
} from '../../domain/claim-sheet';
import type { Household } from '../../domain/household';
import { PROJECT_ROOT } from '../../scripts/stack/local-stack';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import { importsApi, type ImportJobView } from '../helpers/imports';

type Row = Partial<Record<ClaimSheetKey, string | number>>;

/** One claim of each line for a household of the fixture village, as a clerk would fill the template. */
const claimsOf = (h: Household): Row[] => [
  {
    householdId: h.householdId,
    memberId: 'm1',
    name: '张建国',
    line: '家庭财产',
    eventDate: '2026-07-01',
    reportDate: '2026-07-02',
    cause: '火灾',
    assessedLoss: 8000,
  },
  {
    householdId: h.householdId,
    memberId: 'm2',
    line: '健康保险',
    eventDate: '2026-07-10',
    reportDate: '2026-07-20',
    admissionDate: '2026-07-10',
    dischargeDate: '2026/7/18',
    totalCost: '60,000',
    basicInsurance: 30000,
    criticalIllness: 5000,
    medicalAssistance: 2000,
    nonCompliant: 3000,
  },
  {
    householdId: h.householdId,
    memberId: 'm1',
    line: '特色农产品',
    eventDate: '2026-06-12',
    reportDate: '2026-06-13',
    cause: '自然灾害',
    item: '小麦',
    units: 6.5,
    lossPercent: 80,
  },
  {
    householdId: h.householdId,
    memberId: 'm3',
    line: '意外伤害',
    eventDate: '2026-07-05',
    reportDate: '2026-07-06',
    accidentKind: '意外医疗',
    medicalCost: '3200.50',
  },
];

describe('a batch of claims imported from Excel', () => {
  let h: ClaimHarness;
  const imports = importsApi(
    {
      get apiUrl() {
        return h.apiUrl;
      },
    },
    'claims',
  );
  beforeAll(async () => {
    h = await startClaimHarness({ imports: { leaseMs: 1_500, sweepMs: 200 } });
    await imports.downloadTemplate();
  }, 60_000);
  afterAll(() => h.stop());

  const workbook = (rows: Row[]) => imports.workbook(CLAIM_SHEET, CLAIM_SHEET_COLUMNS, rows);
  type Job = ImportJobView;
  const upload = (file: Buffer, mode?: string) => imports.upload(file, mode ? { mode } : {});
  const finished = (job: Pick<Job, 'id'>) => imports.finished(job);
  /** The report's rows by column header. */
  async function report(job: Job): Promise<Record<string, string>[]> {
    const { header, rows } = await imports.report(job);
    return rows.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
  }
  const claimsOfHousehold = async (household: Household) =>
    (await h.claims.list({ scope: household.divisionCode }, 200)).items.filter((c) => c.householdId === household.householdId);

  it('offers a template with instructions, code lists and every line’s loss columns', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await imports.downloadTemplate()) as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['填写说明', '代码表', CLAIM_SHEET]);
    const header = (book.getWorksheet(CLAIM_SHEET)!.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(CLAIM_SHEET_COLUMNS.map((c) => (c.required ? `${c.header}*` : c.header)));
    const codes: string[] = [];
    book.getWorksheet('代码表')!.eachRow((row) => codes.push(...(row.values as unknown[]).map(String)));
    expect(codes).toEqual(expect.arrayContaining(['家庭财产', '暴风、暴雨', '小麦', '意外伤残', '本科']));
  });

  it('files every row as POST /claims would, with the amounts as written, and a second run of the file files nothing', async () => {
    const households = [await h.newHousehold(), await h.newHousehold()];
    const file = await workbook(households.flatMap(claimsOf));
    const job = await finished(await upload(file));
    expect(job).toMatchObject({ kind: 'claims', status: 'done', totalRows: 8, counts: { filed: 8, refused: 0 } });
    const rows = await report(job);
    expect(rows.map((r) => r['处理结果'])).toEqual(Array(8).fill('已报案'));
    expect(rows[0]).toMatchObject({ 行号: '2', 户编号: households[0]!.householdId, 姓名: '张*国', 险种: '家庭财产' });
    expect(rows.every((r) => /^FP-\d{8}-341324-\d{6}$/.test(r['案件号']!))).toBe(true);
    expect(rows[0]!['预计赔付（元）']).toBe('7500');
    expect(rows[0]!['说明']).toContain('请在案件页上传必备材料');

    const [property, health, crop, accident] = rows.slice(0, 4).map((r) => r['案件号']!);
    const state = async (claimNo: string) => (await h.service.state(claimNo)).claim;
    expect((await state(property!)).loss).toEqual({ line: 'property', cause: 'fire', assessedLossFen: 800_000 });
    expect((await state(health!)).loss).toMatchObject({
      totalCostFen: 6_000_000,
      basicInsuranceFen: 3_000_000,
      nonCompliantFen: 300_000,
      dischargeDate: '2026-07-18',
    });
    expect((await state(crop!)).loss).toMatchObject({ item: 'wheat', units: 6.5, lossRatioBp: 8_000, cause: 'natural_disaster' });
    expect((await state(accident!)).loss).toEqual({ line: 'accident', kind: 'medical', medicalCostFen: 320_050 });
    const listed = await pollUntil('the claims listed', async () => {
      const found = await claimsOfHousehold(households[0]!);
      return found.length === 4 ? found : undefined;
    });
    expect(listed.map((c) => c.claimNo).sort()).toEqual(
      rows
        .slice(0, 4)
        .map((r) => r['案件号'])
        .sort(),
    );

    const again = await finished(await upload(file));
    expect(again).toMatchObject({ status: 'done', counts: { filed: 0, unchanged: 8 } });
    expect((await report(again)).map((r) => r['案件号'])).toEqual(rows.map((r) => r['案件号']));
    expect(await claimsOfHousehold(households[0]!)).toHaveLength(4);
  });

  it('files nothing from a file with a bad row unless asked for the good rows; each bad cell is named in Chinese', async () => {
    const household = await h.newHousehold();
    const elsewhere = await h.newHousehold({ divisionCode: '341324106001' });
    const [good] = claimsOf(household);
    const bad: Row[] = [
      { ...good, line: '房屋保险' },
      { ...good, memberId: 'm2', eventDate: '2026-06-03', assessedLoss: '12.345' },
      { ...good, memberId: 'm9', eventDate: '2026-06-04' },
      { ...good, memberId: 'm2', name: '王五', eventDate: '2026-06-05' },
      { ...good, eventDate: '2026-06-06', totalCost: 500 },
      { ...good },
      { ...good, householdId: elsewhere.householdId },
      { ...good, eventDate: '2026-13-40' },
    ];
    const file = await workbook([good!, ...bad]);
    const job = await finished(await upload(file));
    expect(job).toMatchObject({ status: 'refused', counts: { filed: 0, skipped: 1, refused: 8 } });
    expect(await claimsOfHousehold(household)).toEqual([]);
    const said = (await report(job)).map((r) => `${r['处理结果']}|${r['说明']}`);
    expect(said[0]).toMatch(/^未报案\|文件中有错误行/);
    expect(said.slice(1)).toEqual([
      expect.stringContaining('【险种】“房屋保险”不是险种'),
      expect.stringContaining('【财产损失（元）】须为金额（元），不小于 0，最多两位小数'),
      expect.stringMatching(/有误未报案\|.*成员/),
      expect.stringContaining('【姓名】与成员 m2 的登记姓名不一致'),
      expect.stringContaining('【医疗总费用（元）】本列不用于家庭财产报案'),
      expect.stringContaining('与第 2 行是同一成员、险种和出险日期的报案'),
      expect.stringMatching(/有误未报案\|.*(农户|户)/),
      expect.stringContaining('【出险日期】日期无法识别'),
    ]);

    const some = await finished(await upload(file, 'valid_rows'));
    expect(some).toMatchObject({ status: 'done', counts: { filed: 1, refused: 8 } });
    // the claim's workflow writes its first read-model row itself, a moment after the filing answered
    await pollUntil('the filed claim listed', async () => ((await claimsOfHousehold(household)).length > 0 ? true : undefined));
    expect(await claimsOfHousehold(household)).toHaveLength(1);
    expect(await claimsOfHousehold(elsewhere)).toEqual([]);

    // the filed row, changed and imported again: refused with the claim it filed, never filed a second time
    const changed = await finished(await upload(await workbook([{ ...good, assessedLoss: 9000 }])));
    const [line] = await report(changed);
    expect(line).toMatchObject({ 处理结果: '有误未报案', 案件号: (await claimsOfHousehold(household))[0]!.claimNo });
    expect(line!['说明']).toContain('已于先前导入报案');
    expect(await claimsOfHousehold(household)).toHaveLength(1);
  });

  it('is taken over when its process dies midway: the rows it filed are answered, the one it held is finished, once', async () => {
    const household = await h.newHousehold();
    const rows = claimsOf(household);
    const file = await workbook(rows);
    // what a dying run leaves: the first row filed (here by an earlier import of it), the second row's key taken
    // with a lease still running, and the job held by that process (a lease that has run out)
    await finished(await upload(await workbook(rows.slice(0, 1))));
    const second = claimFromRow({ row: 3, cells: rows[1]! }, { reportDate: '2026-12-01', items: [] }).input as ClaimInput;
    await h.stores.idempotency.claim(
      'claims-xlsx:341324',
      claimRowKey(second),
      createHash('sha256')
        .update(JSON.stringify(rowContent({ row: 3, cells: rows[1]! })))
        .digest('hex'),
      2_000,
    );
    const { document } = await h.stores.documents.store(h.pii.encryptBytes(file), 'application/vnd.fangpin.sealed', {
      userId: people.filer.userId,
      jurisdiction: people.filer.jurisdiction,
    });
    const job = await h.stores.imports.create({
      id: 'imp-00000000c1a1c1a1',
      kind: 'claims',
      mode: 'all_or_nothing',
      fileName: '批量报案.xlsx',
      fileId: document.sha256,
      fileSha256: 'c'.repeat(64),
      size: file.length,
      by: { userId: people.filer.userId, role: 'village' },
      jurisdiction: people.filer.jurisdiction,
    });
    const done = await finished({ ...job, links: {} } as unknown as Job);
    expect(done).toMatchObject({ status: 'done', counts: { filed: 3, unchanged: 1 } });
    const claimNos = (await report(done)).map((r) => r['案件号']);
    const listed = await pollUntil('the claims listed', async () => {
      const found = await claimsOfHousehold(household);
      return found.length >= 4 ? found : undefined;
    });
    expect(listed.map((c) => c.claimNo).sort()).toEqual([...claimNos].sort());
  });

  it('refuses a file that is not the template’s sheet, saying what it lacks', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Sheet1').addRow(['户编号', '姓名']);
    const job = await finished(await upload(Buffer.from(await book.xlsx.writeBuffer())));
    expect(job.status).toBe('refused');
    expect(job.problem?.zh).toContain('没有报案工作表');
  });

  it('runs from the command line: progress printed, the report saved, exit 0 only when filed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fangpin-claims-'));
    const file = join(dir, '批量报案.xlsx');
    writeFileSync(file, await workbook(claimsOf(await h.newHousehold())));
    const env = { ...process.env, FANGPIN_URL: h.apiUrl, FANGPIN_TOKEN: await tokenFor(people.filer) };
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], { cwd: PROJECT_ROOT, env });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.once('exit', (code) => resolve({ code, out }));
      });
    const out = join(dir, 'report.xlsx');
    const run = await cli('claims', file, '--report', out);
    expect(run.out).toContain('已完成 done: 已报案 4');
    expect(run.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.worksheets[0]!.rowCount).toBe(5);
  });
});
