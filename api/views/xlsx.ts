import type { Writable } from 'node:stream';
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { contentDisposition } from '../../common/http/content-disposition';
import { LINE_LABELS } from '../../domain/codes';
import { formatDuration, formatShanghai } from '../../domain/dates';
import { PARTY_LABELS, STAGE_LABELS, STATUS_LABELS } from '../../domain/lifecycle';
import type { ClaimProjection } from '../../workflows/claim/projection';

/** The most rows one export holds: a county's year of claims, in bounded memory (rows are streamed as written). */
export const MAX_EXPORT_ROWS = 100_000;

export interface Column<R> {
  header: string;
  width: number;
  /** Yuan with two decimals, as a number cell (sums work in Excel). */
  money?: boolean;
  value: (row: R) => string | number | null;
}

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Starts an .xlsx download: its type, an attachment named in ASCII and in Chinese, never cached. */
export function startXlsxDownload(res: Response, asciiName: string, name: string): void {
  res
    .status(200)
    .type(XLSX_MEDIA_TYPE)
    .set({ 'content-disposition': contentDisposition('attachment', asciiName, name), 'cache-control': 'no-store' });
}

/** Yuan from integer fen, for a money column. */
export const yuanOf = (fen: number | null | undefined) => (fen === null || fen === undefined ? null : Math.round(fen) / 100);

/**
 * One sheet of rows as .xlsx, streamed (committed row by row): Chinese headers, money in yuan with two decimals,
 * and a second sheet 说明 saying what it is, when (Beijing time) and how many rows.
 */
export async function writeXlsx<R>(
  out: Writable,
  spec: {
    sheet: string;
    title: string;
    columns: readonly Column<R>[];
    rows: AsyncIterable<readonly R[]> | Iterable<readonly R[]>;
    generatedAt: Date;
  },
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  workbook.creator = 'fangpin';
  workbook.created = spec.generatedAt;
  const sheet = workbook.addWorksheet(spec.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = spec.columns.map(({ header, width }, i) => ({ header, key: `c${i}`, width }));
  sheet.getRow(1).font = { bold: true };
  spec.columns.forEach((c, i) => {
    if (c.money) sheet.getColumn(i + 1).numFmt = '#,##0.00';
  });
  sheet.getRow(1).commit();
  let rows = 0;
  outer: for await (const page of spec.rows) {
    for (const row of page) {
      if (rows >= MAX_EXPORT_ROWS) break outer;
      sheet.addRow(spec.columns.map((c) => c.value(row))).commit();
      rows += 1;
    }
  }
  sheet.commit();
  const about = workbook.addWorksheet('说明');
  about.addRow([spec.title]).commit();
  about.addRow([`导出时间（北京时间）：${formatShanghai(spec.generatedAt.toISOString())}`]).commit();
  about
    .addRow([`共 ${rows} 件${rows >= MAX_EXPORT_ROWS ? `（已达单次导出上限 ${MAX_EXPORT_ROWS} 件，请缩小筛选范围）` : ''}`])
    .commit();
  about.addRow(['金额单位：元（保留两位小数）；时间均为北京时间。']).commit();
  about.commit();
  await workbook.commit();
  return rows;
}

/** The claim list's columns (the list rows hold no personal number: nothing to mask). */
export const CLAIM_COLUMNS: Column<ClaimProjection>[] = [
  { header: '案件编号', width: 26, value: (c) => c.claimNo },
  { header: '户编号', width: 16, value: (c) => c.householdId },
  { header: '村（区划代码）', width: 16, value: (c) => c.divisionCode },
  { header: '险种', width: 12, value: (c) => LINE_LABELS[c.line].zh },
  { header: '环节', width: 16, value: (c) => STAGE_LABELS[c.stage].zh },
  { header: '状态', width: 10, value: (c) => STATUS_LABELS[c.status].zh },
  { header: '出险日期', width: 12, value: (c) => c.eventDate },
  { header: '报案时间（北京时间）', width: 20, value: (c) => formatShanghai(c.filedAt) },
  { header: '测算赔款（元）', width: 14, money: true, value: (c) => yuanOf(c.proposedFen) },
  { header: '核定赔款（元）', width: 14, money: true, value: (c) => yuanOf(c.approvedFen) },
  { header: '已支付（元）', width: 14, money: true, value: (c) => yuanOf(c.paidFen) },
  { header: '是否超时', width: 10, value: (c) => (c.slaBreached ? '是' : '否') },
];

/** A late claim as the ops late list gives it. */
export interface LateRow {
  claimNo: string;
  stage: ClaimProjection['stage'];
  line: ClaimProjection['line'];
  divisionCode: string;
  stageSince?: string;
  lastTransitionAt: string;
  /** The party whose turn it is (a key of PARTY_LABELS). */
  responsible: string;
  clock: { dueAt: string | null; overdueMs: number };
}

/** The ops late list's columns: who must act, since when, due when, and how late. */
export const LATE_COLUMNS: Column<LateRow>[] = [
  { header: '案件编号', width: 26, value: (c) => c.claimNo },
  { header: '环节', width: 16, value: (c) => STAGE_LABELS[c.stage].zh },
  { header: '险种', width: 12, value: (c) => LINE_LABELS[c.line].zh },
  { header: '村（区划代码）', width: 16, value: (c) => c.divisionCode },
  {
    header: '责任方',
    width: 12,
    value: (c) => (PARTY_LABELS as Record<string, { zh: string } | undefined>)[c.responsible]?.zh ?? c.responsible,
  },
  { header: '进入环节（北京时间）', width: 20, value: (c) => formatShanghai(c.stageSince ?? c.lastTransitionAt) },
  { header: '办理时限（北京时间）', width: 20, value: (c) => (c.clock.dueAt ? formatShanghai(c.clock.dueAt) : '—') },
  { header: '已超时', width: 14, value: (c) => formatDuration(c.clock.overdueMs, 'zh') },
];
