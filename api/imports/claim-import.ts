/**
 * Importing a batch of claims (.xlsx, the 批量报案 template): two streamed passes over the file. The first reads
 * every row as the input `POST /claims` takes, checks it with the API's schema and the payout preview's eligibility
 * rules, and writes nothing; the second files each good row (unless the user asked for all or nothing and a row is
 * bad) through the same keyed filing as `POST /claims` with an Idempotency-Key: a row's key is its household, member,
 * line and event date, so re-importing a file answers the claims it filed, never files them twice. A few rows are
 * filed at once, the report keeps the file's order.
 */
import { AppError } from '../../common/errors';
import { pollUntil } from '../../common/poll';
import { fieldErrorsOf } from '../../common/http/validate';
import type { HouseholdRepository } from '../../db/repositories/households';
import type { ImportCounts } from '../../db/repositories/imports';
import { ClaimInputSchema, type ClaimInput } from '../../domain/claim';
import {
  claimColumnsOfHeader,
  claimFromRow,
  claimHeader,
  claimRowKey,
  columnOfField,
  CLAIM_SHEET_COLUMNS,
  rowContent,
  type ClaimSheetKey,
  type ClaimSheetRow,
} from '../../domain/claim-sheet';
import { DOCUMENT_LABELS, LINE_LABELS, type DocumentKind } from '../../domain/codes';
import { shanghaiDateOf, type LocalDate } from '../../domain/dates';
import { maskName } from '../../domain/masking';
import type { RowProblem } from '../../domain/roster-sheet';
import type { ClaimService } from '../services/claims';
import type { KeyedFiling } from '../services/keyed-filing';
import { writeXlsx, yuanOf, type Column } from '../views/xlsx';
import {
  bufferOf,
  describeProblems,
  ImportFileProblem,
  MAX_ROWS,
  progressTicker,
  tooManyRows,
  type ImportResult,
  type ImportRun,
} from './import-run';
import { sheetRows } from './xlsx-rows';

export type ClaimRowOutcome = 'filed' | 'unchanged' | 'refused' | 'skipped';

export const CLAIM_OUTCOME_LABELS: Record<ClaimRowOutcome, string> = {
  filed: '已报案',
  unchanged: '此前已报案',
  refused: '有误未报案',
  skipped: '未报案',
};

/** How many rows are filed at once: as a disaster batch, enough to keep the stack busy, never to flood it. */
const FILING_CONCURRENCY = 4;
/** Rows read ahead of the filing (their report lines are written in the file's order). */
const WINDOW = 16;

export interface ClaimImportRun extends ImportRun {
  /** The day the file was uploaded (Beijing time): the report date of rows that give none. */
  uploadedOn: LocalDate;
  /** The crop items in force, so a row may name 小麦 for wheat. */
  cropItems: readonly { code: string; name: string }[];
  claims: Pick<ClaimService, 'preview'>;
  households: Pick<HouseholdRepository, 'find'>;
  keyed: KeyedFiling;
}

/** The rows of the file, read, in order. */
async function* rowsOf(content: Buffer): AsyncGenerator<ClaimSheetRow> {
  let columns: Map<number, ClaimSheetKey> | undefined;
  for await (const item of sheetRows(content, (header) => claimColumnsOfHeader(header) instanceof Map)) {
    if ('header' in item) {
      columns = claimColumnsOfHeader(item.header) as Map<number, ClaimSheetKey>;
      continue;
    }
    const cells: ClaimSheetRow['cells'] = {};
    for (const [i, key] of columns!) {
      const v = item.values[i];
      if (v !== undefined) cells[key] = v;
    }
    yield { row: item.row, cells };
  }
  if (!columns) {
    const required = CLAIM_SHEET_COLUMNS.filter((c) => c.required).map((c) => c.header);
    throw new ImportFileProblem({
      zh: `文件中没有报案工作表：须有一行列标题，至少包括 ${required.join('、')}（请使用批量报案模板）。`,
      en: 'No claims sheet in the file: a header row with the template’s required columns is needed (use the template).',
    });
  }
}

interface Checked {
  claim?: ClaimInput;
  key?: string;
  /** The payout the preview proposes (fen). */
  payableFen?: number;
  /** Documents the line requires that the row cannot carry: to be uploaded on the claim's page. */
  missingDocuments?: DocumentKind[];
  problems: RowProblem[];
}

/** One row checked as the API would: the schema, then the household, member and eligibility (the preview's rules). */
async function check(row: ClaimSheetRow, run: ClaimImportRun): Promise<Checked> {
  const { input, problems } = claimFromRow(row, { reportDate: run.uploadedOn, items: run.cropItems });
  if (!input) return { problems };
  const parsed = ClaimInputSchema.safeParse(input);
  if (!parsed.success || problems.length > 0) {
    const seen = new Set(problems.map((p) => p.column ?? ''));
    const fromSchema = parsed.success
      ? []
      : fieldErrorsOf(parsed.error).flatMap((e): RowProblem[] => {
          const column = columnOfField(e.path);
          if (column && seen.has(column)) return [];
          return [{ row: row.row, ...(column ? { column } : {}), zh: e.zh ?? e.message }];
        });
    return { problems: [...problems, ...fromSchema] };
  }
  const claim = parsed.data;
  const name = String(row.cells.name ?? '').trim();
  const named = name ? await nameProblems(row, claim, name, run) : [];
  const assessment = await run.claims.preview(claim, run.actor);
  if (!assessment.eligible) return { problems: [...named, ...assessment.reasons.map((r) => ({ row: row.row, zh: r.zh }))] };
  return {
    claim,
    key: claimRowKey(claim),
    payableFen: assessment.calculation.payableFen,
    missingDocuments: assessment.missingDocuments,
    problems: named,
  };
}

/** A name written in the row must be the member's registered name: the claim pays that person. */
async function nameProblems(row: ClaimSheetRow, claim: ClaimInput, name: string, run: ClaimImportRun): Promise<RowProblem[]> {
  const household = await run.households.find(claim.householdId);
  const registered = household?.members.find((m) => m.memberId === claim.memberId)?.name;
  return registered === undefined || registered === name
    ? []
    : [{ row: row.row, column: claimHeader('name'), zh: `与成员 ${claim.memberId} 的登记姓名不一致` }];
}

interface ReportRow {
  row: number;
  householdId: string;
  memberId: string;
  name: string;
  line: string;
  eventDate: string;
  outcome: ClaimRowOutcome;
  claimNo: string;
  payableFen: number | null;
  detail: string;
}

const REPORT_COLUMNS: Column<ReportRow>[] = [
  { header: '行号', width: 8, value: (r) => r.row },
  { header: '户编号', width: 16, value: (r) => r.householdId },
  { header: '成员编号', width: 10, value: (r) => r.memberId },
  { header: '姓名', width: 10, value: (r) => r.name },
  { header: '险种', width: 12, value: (r) => r.line },
  { header: '出险日期', width: 12, value: (r) => r.eventDate },
  { header: '处理结果', width: 12, value: (r) => CLAIM_OUTCOME_LABELS[r.outcome] },
  { header: '案件号', width: 26, value: (r) => r.claimNo },
  { header: '预计赔付（元）', width: 14, value: (r) => yuanOf(r.payableFen), money: true },
  { header: '说明', width: 80, value: (r) => r.detail },
];

/** Runs both passes and returns the report (an .xlsx of every row's outcome). */
export async function importClaims(run: ClaimImportRun): Promise<ImportResult> {
  const tick = progressTicker(run);

  // pass 1: check every row, write nothing
  const refused = new Map<number, RowProblem[]>();
  const firstRowOf = new Map<string, number>();
  let totalRows = 0;
  for await (const row of rowsOf(run.content)) {
    const checked = await check(row, run);
    let problems = checked.problems;
    if (checked.key) {
      const earlier = firstRowOf.get(checked.key);
      if (earlier !== undefined)
        problems = [...problems, { row: row.row, zh: `与第 ${earlier} 行是同一成员、险种和出险日期的报案` }];
      else firstRowOf.set(checked.key, row.row);
    }
    if (problems.length > 0) refused.set(row.row, problems);
    await tick('checking', ++totalRows, null, {});
    if (totalRows > MAX_ROWS) throw tooManyRows();
  }
  const writeNothing = run.mode === 'all_or_nothing' && refused.size > 0;

  // pass 2: file the good rows (or none), and say what became of every row
  const counts: Required<Pick<ImportCounts, ClaimRowOutcome>> = { filed: 0, unchanged: 0, refused: 0, skipped: 0 };
  let done = 0;

  async function fileRow(row: ClaimSheetRow): Promise<ReportRow> {
    const base = {
      row: row.row,
      householdId: String(row.cells.householdId ?? ''),
      memberId: String(row.cells.memberId ?? ''),
      name: maskName(String(row.cells.name ?? '')),
      line: String(row.cells.line ?? ''),
      eventDate: String(row.cells.eventDate instanceof Date ? shanghaiDateOf(row.cells.eventDate) : (row.cells.eventDate ?? '')),
      claimNo: '',
      payableFen: null,
    };
    const problems = refused.get(row.row);
    if (problems) return { ...base, outcome: 'refused', detail: describeProblems(problems) };
    if (writeNothing)
      return { ...base, outcome: 'skipped', detail: '文件中有错误行，按“全部正确才导入”的选择，本文件未报案任何一行' };
    const checked = await check(row, run); // again: the household may have changed since the first pass
    if (!checked.claim || checked.problems.length > 0)
      return { ...base, outcome: 'refused', detail: describeProblems(checked.problems) };
    const line = LINE_LABELS[checked.claim.line].zh;
    try {
      const answer = await fileOnce(checked.claim, checked.key!, rowContent(row));
      const missing = checked.missingDocuments ?? [];
      const documents =
        missing.length > 0 ? `；请在案件页上传必备材料：${missing.map((k) => DOCUMENT_LABELS[k].zh).join('、')}` : '';
      return {
        ...base,
        line,
        eventDate: checked.claim.eventDate,
        outcome: answer.replayed ? 'unchanged' : 'filed',
        claimNo: answer.body.claimNo,
        payableFen: checked.payableFen ?? null,
        detail: (answer.replayed ? '此前导入时已报案，未重复报案' : '已报案，进入审核流程') + documents,
      };
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      const claimNo = typeof error.extensions.claimNo === 'string' ? error.extensions.claimNo : '';
      const detail = error.extensions.idempotencyKeyReused
        ? `该成员此险种此出险日期已于先前导入报案${claimNo ? `（案件号 ${claimNo}）` : ''}，但本行其他内容不同：未重复报案；如需更正请在案件页办理`
        : error.detail.zh;
      return { ...base, line, outcome: 'refused', claimNo, detail };
    }
  }

  /** Files under the row's key; a key another process holds (a run that died) is waited for, then finished. */
  async function fileOnce(claim: ClaimInput, key: string, content: Record<string, string>) {
    const scope = `claims-xlsx:${run.actor.jurisdiction.slice(0, 6)}`;
    const outcome = await pollUntil(
      `the filing of ${key}`,
      async () => {
        try {
          return { answer: await run.keyed.file(claim, run.actor, key, { scope, sameAs: content }) };
        } catch (error) {
          return error instanceof AppError && error.code === 'CONFLICT' ? undefined : { error };
        }
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    if ('error' in outcome) throw outcome.error;
    return outcome.answer;
  }

  async function* reportRows(): AsyncGenerator<ReportRow[]> {
    let window: ClaimSheetRow[] = [];
    const flush = async () => {
      const results: ReportRow[] = new Array<ReportRow>(window.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < window.length; i = next++) results[i] = await fileRow(window[i]!);
      };
      await Promise.all(Array.from({ length: FILING_CONCURRENCY }, worker));
      for (const r of results) {
        counts[r.outcome] += 1;
        await tick('importing', ++done, totalRows, counts);
      }
      window = [];
      return results;
    };
    for await (const row of rowsOf(run.content)) {
      window.push(row);
      if (window.length >= WINDOW) yield await flush();
    }
    if (window.length > 0) yield await flush();
  }

  const report = await bufferOf((sink) =>
    writeXlsx(sink, {
      sheet: '报案结果',
      title: `批量报案结果：${run.fileName}`,
      columns: REPORT_COLUMNS,
      rows: reportRows(),
      generatedAt: new Date(),
    }),
  );
  return { status: writeNothing ? 'refused' : 'done', totalRows, counts, report };
}
