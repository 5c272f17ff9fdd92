/**
 * Importing a household roster (.xlsx, the 花名册 template): two streamed passes over the file. The first checks every
 * row with the API's own rules (the household schema, the jurisdiction) and writes nothing; the second registers or
 * changes each good household through the same service as `PUT /households/{id}` (versioned, and waiting for a
 * second person where the API would), unless the user asked for all or nothing and a row is bad. Every row gets an
 * outcome in the report.
 */
import { AppError } from '../../common/errors';
import { fieldErrorsOf } from '../../common/http/validate';
import type { HouseholdRepository } from '../../db/repositories/households';
import type { ImportCounts } from '../../db/repositories/imports';
import { isInJurisdiction } from '../../domain/divisions';
import { HouseholdSchema, type Household } from '../../domain/household';
import { maskName } from '../../domain/masking';
import {
  columnsOfHeader,
  householdFromRows,
  placeIssue,
  rosterHeader,
  ROSTER_COLUMNS,
  type RosterKey,
  type RosterRow,
  type RowProblem,
} from '../../domain/roster-sheet';
import type { Actor } from '../../workflows/claim/types';
import type { HouseholdService } from '../services/households';
import { writeXlsx, type Column } from '../views/xlsx';
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
import { sheetRows, type CellValue } from './xlsx-rows';

export type RowOutcome = Exclude<keyof ImportCounts, 'filed'>;

export const OUTCOME_LABELS: Record<RowOutcome, string> = {
  created: '新增',
  updated: '已更新',
  pending: '待审核',
  unchanged: '未变更',
  refused: '有误未导入',
  skipped: '未导入',
};

interface Group {
  rows: RosterRow[];
  /** Problems found while grouping (a household's rows not together). */
  problems: RowProblem[];
}

/** The households of the file, one group of rows each, in file order. */
async function* groupsOf(content: Buffer): AsyncGenerator<Group> {
  let columns: Map<number, RosterKey> | undefined;
  let current: Group | undefined;
  let currentId = '';
  const firstRowOf = new Map<string, number>();
  const rows = sheetRows(content, (header) => {
    const found = columnsOfHeader(header);
    return found instanceof Map;
  });
  for await (const item of rows) {
    if ('header' in item) {
      columns = columnsOfHeader(item.header) as Map<number, RosterKey>;
      continue;
    }
    const cells: Partial<Record<RosterKey, CellValue>> = {};
    for (const [i, key] of columns!) {
      const v = item.values[i];
      if (v !== undefined) cells[key] = v;
    }
    const row: RosterRow = { row: item.row, cells };
    const id = String(cells.householdId ?? '').trim();
    if (current && id === currentId && id !== '') {
      current.rows.push(row);
      continue;
    }
    if (current) yield current;
    current = { rows: [row], problems: [] };
    currentId = id;
    const earlier = firstRowOf.get(id);
    if (id && earlier !== undefined)
      current.problems.push({
        row: row.row,
        column: rosterHeader('householdId'),
        zh: `户编号 ${id} 已在第 ${earlier} 行出现：同一户的各行须连续排列`,
      });
    else if (id) firstRowOf.set(id, row.row);
  }
  if (!columns) {
    const required = ROSTER_COLUMNS.filter((c) => c.required).map((c) => c.header);
    throw new ImportFileProblem({
      zh: `文件中没有花名册工作表：须有一行列标题，至少包括 ${required.join('、')}（请使用导入模板）。`,
      en: 'No roster sheet in the file: a header row with the template’s required columns is needed (use the template).',
    });
  }
  if (current) yield current;
}

/** Checks one household's rows; its record when every rule holds. */
async function check(
  group: Group,
  actor: Actor,
  households: Pick<HouseholdRepository, 'find'>,
): Promise<{ household?: Household; problems: RowProblem[] }> {
  const problems = [...group.problems];
  if (problems.length > 0) return { problems };
  const first = group.rows[0]!;
  const id = String(first.cells.householdId ?? '').trim();
  const stored = id ? await households.find(id) : null;
  if (stored && !isInJurisdiction(stored.divisionCode, actor.jurisdiction))
    return {
      problems: [{ row: first.row, column: rosterHeader('householdId'), zh: `户编号 ${id} 已在您辖区以外登记` }],
    };
  const built = householdFromRows(group.rows, stored);
  const parsed = HouseholdSchema.safeParse(built.household);
  if (!parsed.success || built.problems.length > 0) {
    // the schema's findings beside the sheet's own, one per cell (a cell the sheet already faulted is said once)
    const seen = new Set(built.problems.map((p) => `${p.row}|${p.column ?? ''}`));
    const fromSchema = parsed.success
      ? []
      : fieldErrorsOf(parsed.error).map((e) =>
          placeIssue(
            group.rows,
            built.household,
            e.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
            e.zh ?? e.message,
          ),
        );
    return { problems: [...built.problems, ...fromSchema.filter((p) => !seen.has(`${p.row}|${p.column ?? ''}`))] };
  }
  if (!isInJurisdiction(parsed.data.divisionCode, actor.jurisdiction))
    return {
      problems: [{ row: first.row, column: rosterHeader('divisionCode'), zh: `村 ${parsed.data.divisionCode} 不在您的辖区内` }],
    };
  return { household: parsed.data, problems: [] };
}

/** One line of the report. */
interface ReportRow {
  row: number;
  householdId: string;
  memberId: string;
  name: string;
  outcome: RowOutcome;
  detail: string;
}

const REPORT_COLUMNS: Column<ReportRow>[] = [
  { header: '行号', width: 8, value: (r) => r.row },
  { header: '户编号', width: 16, value: (r) => r.householdId },
  { header: '成员编号', width: 10, value: (r) => r.memberId },
  { header: '姓名', width: 10, value: (r) => r.name },
  { header: '处理结果', width: 12, value: (r) => OUTCOME_LABELS[r.outcome] },
  { header: '说明', width: 80, value: (r) => r.detail },
];

export interface RosterImportRun extends ImportRun {
  households: Pick<HouseholdRepository, 'find'>;
  service: HouseholdService;
}

/** Runs both passes and returns the report (an .xlsx of every row's outcome). */
export async function importRoster(run: RosterImportRun): Promise<ImportResult> {
  const { actor, content } = run;
  const tick = progressTicker(run);

  // pass 1: check every row, write nothing
  const refused = new Map<number, RowProblem[]>(); // by the group's first row
  let totalRows = 0;
  for await (const group of groupsOf(content)) {
    const { problems } = await check(group, actor, run.households);
    if (problems.length > 0) refused.set(group.rows[0]!.row, problems);
    for (let i = 0; i < group.rows.length; i++) await tick('checking', ++totalRows, null, {});
    if (totalRows > MAX_ROWS) throw tooManyRows();
  }
  const writeNothing = run.mode === 'all_or_nothing' && refused.size > 0;

  // pass 2: import the good households (or none), and say what became of every row
  const counts: Required<Omit<ImportCounts, 'filed'>> = {
    created: 0,
    updated: 0,
    pending: 0,
    unchanged: 0,
    refused: 0,
    skipped: 0,
  };
  let done = 0;
  async function* reportRows(): AsyncGenerator<ReportRow[]> {
    for await (const group of groupsOf(content)) {
      const first = group.rows[0]!.row;
      let problems = refused.get(first) ?? [];
      let outcome: RowOutcome = problems.length > 0 ? 'refused' : writeNothing ? 'skipped' : 'unchanged';
      if (outcome === 'unchanged') {
        const checked = await check(group, actor, run.households);
        problems = checked.problems;
        if (!checked.household) outcome = 'refused';
        else {
          try {
            const result = await run.service.put(actor, checked.household, {
              reason: `Excel 导入：${run.fileName}`,
              changeId: `xlsx:${run.jobId}:${checked.household.householdId}`,
              source: { kind: 'excel_import', importId: run.jobId, row: first },
            });
            outcome =
              result.status === 'applied'
                ? result.created
                  ? 'created'
                  : 'updated'
                : result.status === 'pending'
                  ? 'pending'
                  : 'unchanged';
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            outcome = 'refused';
            problems = [{ row: first, zh: error.detail.zh }];
          }
        }
      }
      const rows = group.rows.map((r): ReportRow => {
        const own = problems.filter((p) => p.row === r.row);
        const detail =
          outcome === 'refused'
            ? describeProblems(
                own.length > 0 ? own : [{ row: r.row, zh: `本户其他行有误（见第 ${problems[0]?.row ?? first} 行）` }],
              )
            : outcome === 'skipped'
              ? '文件中有错误行，按“全部正确才导入”的选择，本文件未导入任何数据'
              : outcome === 'pending'
                ? '变更涉及户类别、成员减少或收款账户等，需另一名工作人员审核后生效'
                : '';
        return {
          row: r.row,
          householdId: String(r.cells.householdId ?? ''),
          memberId: String(r.cells.memberId ?? ''),
          name: maskName(String(r.cells.name ?? '')),
          outcome,
          detail,
        };
      });
      counts[outcome] += rows.length;
      for (let i = 0; i < rows.length; i++) await tick('importing', ++done, totalRows, counts);
      yield rows;
    }
  }
  const report = await bufferOf((sink) =>
    writeXlsx(sink, {
      sheet: '导入结果',
      title: `花名册导入结果：${run.fileName}`,
      columns: REPORT_COLUMNS,
      rows: reportRows(),
      generatedAt: new Date(),
    }),
  );
  return { status: writeNothing ? 'refused' : 'done', totalRows, counts, report };
}
