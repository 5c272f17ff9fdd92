/**
 * `npm run bench:import`: a 50,000-row household roster (BENCH_ROSTER_ROWS) imported through a real API process on
 * servers of the bench's own, beside its baseline in the same run: the same kind of households registered one by one
 * with `PUT /households/{id}` (what a script would do without the import). Prints rows per second of each pass, the
 * API process's resident memory before and at its peak (the file is streamed, so the peak should not grow with the
 * file), and a second import of the same file (every row unchanged).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { pollUntil } from '../common/poll';
import { ROSTER_COLUMNS, ROSTER_SHEET, rosterRowsOf } from '../domain/roster-sheet';
import { syntheticHouseholds } from '../domain/synthetic';
import { SIXIAN_PRODUCTS } from '../domain/products';
import { PROJECT_ROOT } from '../scripts/stack/local-stack';
import { startBenchStack } from './stack';

const ROWS = Number(process.env.BENCH_ROSTER_ROWS ?? 50_000);
const BASELINE_HOUSEHOLDS = Number(process.env.BENCH_ROSTER_BASELINE ?? 1_000);
const YEAR = 2026;
const village = { userId: 'bench-village', role: 'county' as const, jurisdiction: '341324', name: '县级导入员' };

const rssMiB = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};

/** Writes the roster workbook (streamed), ~3 rows per household; answers the path and the households' count. */
async function writeRoster(path: string, rows: number, seed: number): Promise<{ households: number; rows: number }> {
  const out = createWriteStream(path);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false });
  const sheet = book.addWorksheet(ROSTER_SHEET);
  sheet.addRow(ROSTER_COLUMNS.map((c) => c.header)).commit();
  let written = 0;
  let households = 0;
  for (const household of syntheticHouseholds(Math.ceil(rows / 2), { seed, policyYear: YEAR, products: SIXIAN_PRODUCTS })) {
    if (written >= rows) break;
    for (const row of rosterRowsOf(household, YEAR)) sheet.addRow(ROSTER_COLUMNS.map((c) => row[c.key] ?? null)).commit();
    written += household.members.length;
    households += 1;
  }
  sheet.commit();
  await book.commit();
  return { households, rows: written };
}

interface Job {
  id: string;
  status: string;
  doneRows: number;
  totalRows: number | null;
  counts: Record<string, number>;
}

async function main(): Promise<void> {
  const started = Date.now();
  const step = (text: string) => console.log(`[bench:import ${Math.round((Date.now() - started) / 1000)} s] ${text}`);
  const dir = join(tmpdir(), `fangpin-bench-import-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'roster.xlsx');
  step(`writing a roster of ${ROWS} rows`);
  const roster = await writeRoster(file, ROWS, 101);
  const content = readFileSync(file);
  step(`${roster.rows} rows, ${roster.households} households, ${(content.length / 1024 / 1024).toFixed(1)} MiB`);

  const stack = await startBenchStack();
  const api = await stack.startApi({ LOG_LEVEL: 'warn' });
  try {
    const token = await stack.token(village);
    const headers = { authorization: `Bearer ${token}` };

    // baseline: households registered one by one through PUT /households/{id}
    step(`baseline: ${BASELINE_HOUSEHOLDS} households by PUT /households/{id}`);
    const baselineStart = Date.now();
    let baselineRows = 0;
    for (const h of syntheticHouseholds(BASELINE_HOUSEHOLDS, { seed: 202, policyYear: YEAR, products: SIXIAN_PRODUCTS })) {
      const res = await fetch(`${api.url}/households/${h.householdId}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(h),
      });
      if (res.status !== 201) throw new Error(`PUT ${h.householdId}: ${res.status} ${await res.text()}`);
      baselineRows += h.members.length;
    }
    const baselineSeconds = (Date.now() - baselineStart) / 1000;

    const importOnce = async (label: string) => {
      const rssBefore = rssMiB(api.pid);
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(api.pid))), 200);
      const t0 = Date.now();
      const res = await fetch(`${api.url}/imports/roster?mode=all_or_nothing&fileName=bench.xlsx`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body: content,
      });
      if (res.status !== 202) throw new Error(`import: ${res.status} ${await res.text()}`);
      let job = (await res.json()) as Job;
      let checkedAt: number | undefined;
      job = await pollUntil(
        `the ${label} import`,
        async () => {
          const now = (await (await fetch(`${api.url}/imports/${job.id}`, { headers })).json()) as Job;
          if (!checkedAt && now.status === 'importing') checkedAt = Date.now();
          return ['done', 'refused', 'failed'].includes(now.status) ? now : undefined;
        },
        { timeoutMs: 3_600_000, intervalMs: 500 },
      );
      clearInterval(sampler);
      if (job.status !== 'done' || (job.counts.refused ?? 0) > 0) {
        // a bench of refused rows measures nothing: say why they were refused
        const report = new ExcelJS.Workbook();
        const bytes = await (await fetch(`${api.url}/imports/${job.id}/report`, { headers })).arrayBuffer();
        await report.xlsx.load(bytes);
        const refused: string[] = [];
        report.worksheets[0]!.eachRow((row) => {
          const values = (row.values as unknown[]).map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : ''));
          if (values[5] === '有误未导入') refused.push(values.slice(1).join(' | '));
        });
        throw new Error(`the ${label} import was ${job.status}:\n${refused.slice(0, 10).join('\n')}`);
      }
      const seconds = (Date.now() - t0) / 1000;
      const check = ((checkedAt ?? Date.now()) - t0) / 1000;
      step(`${label}: ${job.status} in ${seconds.toFixed(1)} s, ${JSON.stringify(job.counts)}`);
      return { job, seconds, check, write: seconds - check, rssBefore, peak };
    };
    step('import: the roster file');
    const first = await importOnce('first');
    step('import: the same file again');
    const again = await importOnce('again');

    const perSecond = (rows: number, s: number) => (rows / s).toFixed(0);
    const lines = [
      `# Roster import (${new Date().toISOString()})`,
      '',
      `${roster.rows} rows (${roster.households} households, ${(content.length / 1024 / 1024).toFixed(1)} MiB .xlsx), one API process, FerretDB/DocumentDB.`,
      '',
      '| figure | ours | baseline | ratio |',
      '|---|---|---|---|',
      `| registered rows per second (import, both passes) | ${perSecond(roster.rows, first.seconds)}/s | ${perSecond(baselineRows, baselineSeconds)}/s one PUT per household (${BASELINE_HOUSEHOLDS} households) | ${(roster.rows / first.seconds / (baselineRows / baselineSeconds)).toFixed(2)}× |`,
      `| check pass, rows per second | ${perSecond(roster.rows, first.check)}/s | | |`,
      `| write pass, rows per second | ${perSecond(roster.rows, first.write)}/s | | |`,
      `| the same file again (all unchanged), rows per second | ${perSecond(roster.rows, again.seconds)}/s | | |`,
      `| API resident memory, before → peak (first import) | ${first.rssBefore.toFixed(0)} → ${first.peak.toFixed(0)} MiB | | +${(first.peak - first.rssBefore).toFixed(0)} MiB |`,
      `| API resident memory, before → peak (again) | ${again.rssBefore.toFixed(0)} → ${again.peak.toFixed(0)} MiB | | +${(again.peak - again.rssBefore).toFixed(0)} MiB |`,
    ];
    const report = lines.join('\n');
    console.log(`\n${report}\n`);
    mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'import-latest.md'), `${report}\n`);
  } finally {
    await api.stop();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
