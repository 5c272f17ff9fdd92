import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { PROJECT_ROOT } from '../../scripts/stack/local-stack';
import type { Household } from '../../domain/household';
import { ROSTER_COLUMNS, ROSTER_SHEET, rosterRowsOf, type RosterKey } from '../../domain/roster-sheet';
import { aHousehold } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import { importsApi, type ImportJobView } from '../helpers/imports';
import { uniqueName } from '../helpers/servers';
import { makeResidentId } from '../../domain/resident-id';
import type { Actor } from '../../workflows/claim/types';

const YEAR = 2026;

/** A household as the sheet holds it: one policy year's enrollments, categories without their reasons. */
function asSheetHolds(h: Household): Household {
  return {
    ...h,
    categoryHistory: h.categoryHistory.slice(-2).map(({ category, from, to }) => ({ category, from, ...(to ? { to } : {}) })),
    enrollments: h.enrollments.filter((e) => e.policyYear === YEAR).sort((a, b) => a.line.localeCompare(b.line)),
  };
}

/** The roster rows of a household, as a clerk would fill the template. */
const rowsOf = (h: Household) => rosterRowsOf(h, YEAR);

/** Households whose enrollments of the year share one date (the sheet has one enrollment date per household). */
function households(n: number): Household[] {
  return Array.from({ length: n }, (_, i) =>
    aHousehold({
      householdId: uniqueName(`XL${i}`)
        .replace(/[^A-Za-z0-9_-]/g, '')
        .slice(0, 40),
      enrollments: (['crop', 'health', 'accident', 'property', 'education'] as const).map((line) => ({
        policyYear: YEAR,
        line,
        enrolledOn: '2026-01-01',
      })),
    }),
  );
}

describe('household roster import from Excel', () => {
  let h: ClaimHarness;
  const imports = importsApi(
    {
      get apiUrl() {
        return h.apiUrl;
      },
    },
    'roster',
  );
  beforeAll(async () => {
    h = await startClaimHarness({ imports: { leaseMs: 1_500, sweepMs: 200 } });
    await imports.downloadTemplate();
  }, 60_000);
  afterAll(() => h.stop());

  const workbook = (rows: Partial<Record<RosterKey, string | number>>[]) => imports.workbook(ROSTER_SHEET, ROSTER_COLUMNS, rows);
  type Job = ImportJobView;
  const upload = (file: Buffer, actor: Actor = people.filer, mode?: string) =>
    imports.upload(file, { actor, ...(mode ? { mode } : {}) });
  const finished = (job: Pick<Job, 'id'>, actor?: Actor) => imports.finished(job, actor);
  const report = async (job: Job) => (await imports.report(job)).rows;
  const versionsOf = async (householdId: string) => {
    const res = await fetch(`${h.apiUrl}/households/${householdId}/changes`, {
      headers: { authorization: `Bearer ${await tokenFor(people.county)}` },
    });
    return (await res.json()) as { versions: { changeId: string; source: { kind: string } }[]; pending: { changeId: string }[] };
  };

  it('registers every household of the file as the API would, and a second run of the same file changes nothing', async () => {
    const source = households(3);
    const file = await workbook(source.flatMap(rowsOf));
    const job = await finished(await upload(file));
    expect(job).toMatchObject({ status: 'done', totalRows: 9, doneRows: 9, counts: { created: 9, refused: 0 } });
    for (const household of source) expect(await h.households.find(household.householdId)).toEqual(asSheetHolds(household));
    const rows = await report(job);
    expect(rows.map((r) => r[4])).toEqual(Array(9).fill('新增'));
    expect(rows[0]!.slice(0, 4)).toEqual(['2', source[0]!.householdId, 'm1', '张*国']);
    expect((await versionsOf(source[0]!.householdId)).versions[0]!.source.kind).toBe('excel_import');

    const again = await finished(await upload(file));
    expect(again).toMatchObject({ status: 'done', counts: { unchanged: 9, created: 0, updated: 0 } });
    expect((await versionsOf(source[0]!.householdId)).versions).toHaveLength(1);
  });

  it('imports nothing from a file with a bad row, unless asked for the good households; each bad cell is named', async () => {
    const [good, bad] = households(2) as [Household, Household];
    const rows = [...rowsOf(good), ...rowsOf(bad)];
    const badRow = rows.length; // bad's last member, in sheet row rows.length + 1
    rows[badRow - 1] = { ...rows[badRow - 1], residentId: '341324197003150000', relation: '表兄' };
    const file = await workbook(rows);

    const strict = await finished(await upload(file));
    expect(strict.status).toBe('refused');
    expect(strict.counts).toMatchObject({ refused: 3, skipped: 3, created: 0 });
    expect(await h.households.find(good.householdId)).toBeNull();
    const strictRows = await report(strict);
    const refusedRow = strictRows.find((r) => r[0] === String(badRow + 1))!;
    expect(refusedRow[4]).toBe('有误未导入');
    expect(refusedRow[5]).toContain('【身份证号】');
    expect(refusedRow[5]).toContain('【与户主关系】“表兄”不是有效的与户主关系');
    expect(strictRows.find((r) => r[0] === '2')![4]).toBe('未导入');

    const lenient = await finished(await upload(file, people.filer, 'valid_rows'));
    expect(lenient).toMatchObject({ status: 'done', counts: { created: 3, refused: 3 } });
    expect(await h.households.find(good.householdId)).toEqual(asSheetHolds(good));
    expect(await h.households.find(bad.householdId)).toBeNull();
  });

  it('sends a change of the payout account to a second person, once however often the file is imported', async () => {
    const [household] = households(1) as [Household];
    await finished(await upload(await workbook(rowsOf(household))));
    const changed = rowsOf({ ...household, payoutAccount: { ...household.payoutAccount, cardNumber: '6217000010009999999' } });
    const file = await workbook(changed);
    const first = await finished(await upload(file));
    expect(first.counts).toMatchObject({ pending: 3 });
    expect((await report(first))[0]![5]).toContain('需另一名工作人员审核');
    const second = await finished(await upload(file));
    expect(second.counts).toMatchObject({ pending: 3 });
    const { pending } = await versionsOf(household.householdId);
    expect(pending).toHaveLength(1);
    expect((await h.households.find(household.householdId))?.payoutAccount.cardNumber).toBe(household.payoutAccount.cardNumber);
  });

  it('keeps to the importer’s jurisdiction and refuses files that are no roster', async () => {
    const [household] = households(1) as [Household];
    const elsewhere = await finished(await upload(await workbook(rowsOf(household)), people.otherVillage), people.otherVillage);
    expect(elsewhere.status).toBe('refused');
    expect(await h.households.find(household.householdId)).toBeNull();

    const res = await fetch(`${h.apiUrl}/imports/roster`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor(people.filer)}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from('%PDF-1.4 not a workbook'),
    });
    expect(res.status).toBe(415);
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Sheet1').addRow(['姓名', '电话']);
    const noRoster = await finished(await upload(Buffer.from(await empty.xlsx.writeBuffer())));
    expect(noRoster.status).toBe('refused');
    expect(noRoster.problem?.zh).toContain('没有花名册工作表');
    // the upload itself is stored sealed: the database never holds a resident ID of the file in clear
    const stored = await h.stores.documents.read((await h.stores.imports.find(noRoster.id))!.fileId);
    expect(stored!.content.includes(Buffer.from('PK\u0003\u0004'))).toBe(false);
  });

  it('is taken over when its process dies midway, and what the dead run applied is recognised, not applied twice', async () => {
    const source = households(4);
    const file = await workbook(source.flatMap(rowsOf));
    // the state a process leaves when it dies halfway: two households applied under the job's key, the job taken
    // by that process (a lease that has run out)
    const id = 'imp-00000000deadbeef';
    for (const household of source.slice(0, 2))
      await h.stores.households.propose(asSheetHolds(household), {
        by: { userId: people.filer.userId, role: 'village' },
        changeId: `xlsx:${id}:${household.householdId}`,
        source: { kind: 'excel_import', importId: id },
      });
    const { document } = await h.stores.documents.store(h.pii.encryptBytes(file), 'application/vnd.fangpin.sealed', {
      userId: people.filer.userId,
      jurisdiction: people.filer.jurisdiction,
    });
    const job = await h.stores.imports.create({
      id,
      kind: 'roster',
      mode: 'all_or_nothing',
      fileName: '花名册.xlsx',
      fileId: document.sha256,
      fileSha256: 'f'.repeat(64),
      size: file.length,
      by: { userId: people.filer.userId, role: 'village' },
      jurisdiction: people.filer.jurisdiction,
    });
    const done = await finished({ ...job, links: {} } as unknown as Job);
    expect(done).toMatchObject({ status: 'done', counts: { created: 12 } });
    for (const household of source) {
      expect(await h.households.find(household.householdId)).toEqual(asSheetHolds(household));
      expect((await versionsOf(household.householdId)).versions).toHaveLength(1);
    }
  });

  it('runs from the command line: progress printed, the report saved, exit 0 only when imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fangpin-import-'));
    const source = households(2);
    const file = join(dir, '花名册.xlsx');
    writeFileSync(file, await workbook(source.flatMap(rowsOf)));
    const env = { ...process.env, FANGPIN_URL: h.apiUrl, FANGPIN_TOKEN: await tokenFor(people.filer) };
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], { cwd: PROJECT_ROOT, env });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.once('exit', (code) => resolve({ code, out }));
      });
    const report = join(dir, 'report.xlsx');
    const run = await cli('roster', file, '--report', report);
    expect(run.out).toMatch(/导入任务 import imp-[0-9a-f]{16}/);
    expect(run.out).toContain('已完成 done: 新增 6');
    expect(run.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(report);
    expect(book.worksheets[0]!.rowCount).toBe(7);
    for (const household of source) expect(await h.households.find(household.householdId)).toEqual(asSheetHolds(household));

    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Sheet1').addRow(['姓名']);
    const bad = join(dir, 'bad.xlsx');
    await empty.xlsx.writeFile(bad);
    const refused = await cli('roster', bad);
    expect(refused.out).toContain('没有花名册工作表');
    expect(refused.code).toBe(1);
  });

  it('exports the roster in the template’s layout (numbers masked), and the export imported back changes only what was edited', async () => {
    const stored = [await h.newHousehold(), await h.newHousehold(), await h.newHousehold()];
    const ids = new Set(stored.map((x) => x.householdId));
    const res = await fetch(`${h.apiUrl}/exports/roster?year=${YEAR}`, {
      headers: { authorization: `Bearer ${await tokenFor(people.filer)}` },
    });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet(ROSTER_SHEET)!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header.map((c) => c.replace(/\*$/, ''))).toEqual(ROSTER_COLUMNS.map((c) => c.header));
    const rows: Partial<Record<RosterKey, string>>[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as (string | null)[]).slice(1);
      const cells = Object.fromEntries(
        ROSTER_COLUMNS.map((c, i) => [c.key, values[i] ?? undefined]).filter(([, v]) => v),
      ) as Partial<Record<RosterKey, string>>;
      if (ids.has(String(cells.householdId))) rows.push(cells);
    });
    expect(rows).toHaveLength(9);
    // what the export shows of a household: its members and year, the numbers masked to their last four
    const [first] = stored as [Household];
    const head = rows.find((r) => r.householdId === first.householdId && r.memberId === 'm1')!;
    expect(head).toMatchObject({
      name: first.members[0]!.name,
      residentId: `${'*'.repeat(14)}${first.members[0]!.residentId.slice(-4)}`,
      relation: '户主',
      category: '脱贫不稳定户',
      earlierCategory: '脱贫户',
      policyYear: String(YEAR),
      lines: '特色农产品、健康保险、意外伤害、家庭财产、教育升学',
      cardNumber: `${'*'.repeat(15)}${first.payoutAccount.cardNumber.slice(-4)}`,
    });
    expect(JSON.stringify(rows)).not.toContain(first.members[0]!.residentId);

    const unchanged = await finished(await upload(await workbook(rows)));
    expect(unchanged).toMatchObject({ status: 'done', counts: { unchanged: 9, updated: 0, pending: 0, refused: 0 } });
    for (const household of stored) expect(await h.households.find(household.householdId)).toEqual(household);

    // one edit: the first household drops education for the year; the masked numbers still stand for the stored ones
    const edited = rows.map((r) => (r === head ? { ...r, lines: '特色农产品、健康保险、意外伤害、家庭财产' } : r));
    const changed = await finished(await upload(await workbook(edited)));
    expect(changed).toMatchObject({ status: 'done', counts: { updated: 3, unchanged: 6 } });
    const after = (await h.households.find(first.householdId))!;
    expect(after.enrollments.filter((e) => e.policyYear === YEAR).map((e) => e.line)).not.toContain('education');
    expect(after.enrollments.filter((e) => e.policyYear === YEAR - 1)).toHaveLength(5);
    expect(after.members).toEqual(first.members);
    expect(after.payoutAccount).toEqual(first.payoutAccount);
  });

  it('names a cell Excel turned into a number (an ID typed without the text format)', async () => {
    const [household] = households(1) as [Household];
    const rows: Partial<Record<RosterKey, string | number>>[] = rowsOf(household);
    rows[1] = { ...rows[1], residentId: Number(makeResidentId('341324', '1980-01-01', 5, 'male').slice(0, 17)) * 10 };
    const job = await finished(await upload(await workbook(rows)));
    expect(job.status).toBe('refused');
    expect((await report(job))[1]![5]).toContain('Excel 已丢失末几位');
  });
});
