/**
 * A disaster event's loss sheet (损失登记表): the affected enrolled households of a village, one row per household and
 * line, pre-filled; the village fills the losses and uploads it. Its rows become loss entries (checked then like any
 * entry); a row left without a loss is skipped, a row whose cells are not numbers is refused with its row number.
 */
import type { Writable } from 'node:stream';
import { LINE_LABELS } from '../../domain/codes';
import { LossEntrySchema, type LossEntry } from '../../domain/disaster';
import { fieldErrorsOf } from '../../common/http/validate';
import { writeXlsx, type Column } from '../views/xlsx';
import { sheetRows, type CellValue } from './xlsx-rows';

export const LOSS_SHEET = '损失登记';
const HEADERS = ['户编号', '户主', '险种', '财产损失（元）', '品种代码', '数量（亩/头）', '损失程度（%）', '说明'] as const;

export interface LossSheetRow {
  householdId: string;
  head: string;
  line: 'crop' | 'property';
}

const COLUMNS: Column<LossSheetRow>[] = [
  { header: HEADERS[0], width: 18, value: (r) => r.householdId },
  { header: HEADERS[1], width: 10, value: (r) => r.head },
  { header: HEADERS[2], width: 12, value: (r) => LINE_LABELS[r.line].zh },
  { header: HEADERS[3], width: 16, value: () => null },
  { header: HEADERS[4], width: 16, value: () => null },
  { header: HEADERS[5], width: 14, value: () => null },
  { header: HEADERS[6], width: 14, value: () => null },
  { header: HEADERS[7], width: 30, value: () => null },
];

export async function writeLossSheet(out: Writable, title: string, rows: readonly LossSheetRow[]): Promise<void> {
  await writeXlsx(out, { sheet: LOSS_SHEET, title, columns: COLUMNS, rows: [rows], generatedAt: new Date() });
}

export interface SheetProblem {
  row: number;
  householdId: string;
  zh: string;
  en: string;
}

const LINE_OF = new Map(Object.entries(LINE_LABELS).map(([code, l]) => [l.zh, code]));
const number = (v: CellValue | undefined) =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v.trim()) : undefined;

/** The entries of a filled sheet (rows with a loss), with each row's number, and the rows refused. */
export async function readLossSheet(
  content: Buffer,
): Promise<{ entries: { row: number; entry: LossEntry }[]; problems: SheetProblem[] }> {
  const entries: { row: number; entry: LossEntry }[] = [];
  const problems: SheetProblem[] = [];
  let at: Map<string, number> | undefined;
  for await (const item of sheetRows(content, (h) => h.includes(HEADERS[0]) && h.includes(HEADERS[2]))) {
    if ('header' in item) {
      at = new Map(item.header.map((h, i) => [String(h), i]));
      continue;
    }
    const cell = (header: string) => item.values[at!.get(header) ?? -1];
    const householdId = String(cell(HEADERS[0]) ?? '').trim();
    const line = LINE_OF.get(String(cell(HEADERS[2]) ?? '').trim());
    const refuse = (zh: string, en: string) => problems.push({ row: item.row, householdId, zh, en });
    const description = cell(HEADERS[7]) ? String(cell(HEADERS[7])).slice(0, 500) : undefined;
    /** The row's entry, held to the same schema as POST …/losses. */
    const accept = (entry: Record<string, unknown>) => {
      const parsed = LossEntrySchema.safeParse({ ...entry, householdId, documents: [], ...(description ? { description } : {}) });
      if (parsed.success) return void entries.push({ row: item.row, entry: parsed.data });
      const errors = fieldErrorsOf(parsed.error);
      refuse(
        errors.map((e) => `${e.path}：${e.zh ?? e.message}`).join('；'),
        errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      );
    };
    if (line === 'property') {
      const yuan = number(cell(HEADERS[3]));
      if (yuan === undefined) continue;
      if (!Number.isFinite(yuan) || yuan <= 0) {
        refuse('财产损失须为大于 0 的金额（元）', 'the property loss must be an amount above 0 (yuan)');
        continue;
      }
      accept({ line, assessedLossFen: Math.round(yuan * 100) });
    } else if (line === 'crop') {
      const item_ = String(cell(HEADERS[4]) ?? '').trim();
      const units = number(cell(HEADERS[5]));
      const ratio = number(cell(HEADERS[6]));
      if (!item_ && units === undefined && ratio === undefined) continue;
      if (!item_ || !units || !Number.isFinite(units) || units <= 0 || !ratio || !(ratio > 0 && ratio <= 100)) {
        refuse(
          '农作物损失须填写品种代码、数量（大于 0）和损失程度（1–100%）',
          'a crop loss needs the item code, units above 0 and a loss ratio of 1–100%',
        );
        continue;
      }
      accept({ line, item: item_, units: Math.round(units * 100) / 100, lossRatioBp: Math.round(ratio * 100) });
    } else refuse('险种须为“特色农产品”或“家庭财产”', 'the line must be 特色农产品 or 家庭财产');
  }
  if (!at)
    problems.push({
      row: 0,
      householdId: '',
      zh: '文件中没有损失登记表（请使用下载的表格）',
      en: 'No loss sheet in the file (use the downloaded one)',
    });
  return { entries, problems };
}
