import type { Writable } from 'node:stream';
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { contentDisposition } from '../../common/http/content-disposition';
import { LINE_LABELS } from '../../domain/codes';
import { formatDuration, formatShanghai } from '../../domain/dates';
import { PARTY_LABELS, STAGE_LABELS, STATUS_LABELS } from '../../domain/lifecycle';
import type { ClaimProjection } from '../../workflows/claim/projection';
import type { Installment } from '../../workflows/claim/types';

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
export async function writeXlsx<R, S = never>(
  out: Writable,
  spec: {
    sheet: string;
    title: string;
    columns: readonly Column<R>[];
    rows: AsyncIterable<readonly R[]> | Iterable<readonly R[]>;
    generatedAt: Date;
    /** A sheet written after the rows (totals gathered while they streamed), before 说明. */
    summary?: () => { sheet: string; columns: readonly Column<S>[]; rows: readonly S[] };
  },
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  workbook.creator = 'fangpin';
  workbook.created = spec.generatedAt;
  const sheet = startSheet(workbook, spec.sheet, spec.columns);
  let rows = 0;
  outer: for await (const page of spec.rows) {
    for (const row of page) {
      if (rows >= MAX_EXPORT_ROWS) break outer;
      sheet.addRow(spec.columns.map((c) => c.value(row))).commit();
      rows += 1;
    }
  }
  sheet.commit();
  if (spec.summary) {
    const summary = spec.summary();
    const totals = startSheet(workbook, summary.sheet, summary.columns);
    for (const row of summary.rows) totals.addRow(summary.columns.map((c) => c.value(row))).commit();
    totals.commit();
  }
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

function startSheet<R>(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: readonly Column<R>[]) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map(({ header, width }, i) => ({ header, key: `c${i}`, width }));
  sheet.getRow(1).font = { bold: true };
  columns.forEach((c, i) => {
    if (c.money) sheet.getColumn(i + 1).numFmt = '#,##0.00';
  });
  sheet.getRow(1).commit();
  return sheet;
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

/** One settled payment (an installment's bank result) as the payouts export lists it. */
export interface PayoutRow {
  claimNo: string;
  householdId: string;
  divisionCode: string;
  line: ClaimProjection['line'];
  insurerId: string | null;
  policyYear: number | null;
  installment: Installment;
  /** The payee's name as the reader's role may see it (full or 张*明). */
  payee: string;
}

const PAYOUT_STATUS: Record<Installment['status'], string> = { confirmed: '已到账', bounced: '退票', instructed: '处理中' };

/** The payouts export's columns: when the money arrived, for which claim, how much, to whom (card tail only). */
export const PAYOUT_COLUMNS: Column<PayoutRow>[] = [
  {
    header: '结算时间（北京时间）',
    width: 20,
    value: (p) => (p.installment.settledAt ? formatShanghai(p.installment.settledAt) : ''),
  },
  { header: '案件编号', width: 26, value: (p) => p.claimNo },
  { header: '户编号', width: 16, value: (p) => p.householdId },
  { header: '村（区划代码）', width: 16, value: (p) => p.divisionCode },
  { header: '险种', width: 12, value: (p) => LINE_LABELS[p.line].zh },
  { header: '保险公司', width: 14, value: (p) => p.insurerId ?? '' },
  { header: '保单年度', width: 10, value: (p) => p.policyYear },
  { header: '期次', width: 6, value: (p) => p.installment.installment },
  { header: '金额（元）', width: 14, money: true, value: (p) => yuanOf(p.installment.amountFen) },
  { header: '结果', width: 8, value: (p) => PAYOUT_STATUS[p.installment.status] },
  { header: '收款人', width: 12, value: (p) => p.payee },
  { header: '卡号尾号', width: 10, value: (p) => p.installment.account.cardLast4 },
  { header: '银行流水号', width: 24, value: (p) => p.installment.bankRef ?? '' },
  { header: '退票原因', width: 20, value: (p) => p.installment.reason ?? '' },
];

/** A total of the payouts export's summary sheet: one line and insurer. */
export interface PayoutTotal {
  line: ClaimProjection['line'];
  insurerId: string;
  confirmed: number;
  confirmedFen: number;
  bounced: number;
  bouncedFen: number;
}

export const PAYOUT_TOTAL_COLUMNS: Column<PayoutTotal>[] = [
  { header: '险种', width: 12, value: (t) => LINE_LABELS[t.line].zh },
  { header: '保险公司', width: 14, value: (t) => t.insurerId },
  { header: '到账笔数', width: 10, value: (t) => t.confirmed },
  { header: '到账金额（元）', width: 16, money: true, value: (t) => yuanOf(t.confirmedFen) },
  { header: '退票笔数', width: 10, value: (t) => t.bounced },
  { header: '退票金额（元）', width: 16, money: true, value: (t) => yuanOf(t.bouncedFen) },
];

/** One cap bucket of a household's exposure ledger. */
export interface ExposureRow {
  householdId: string;
  divisionCode: string;
  policyYear: number;
  line: ClaimProjection['line'];
  insurerId: string;
  zh: string;
  limitFen: number;
  heldFen: number;
  paidFen: number;
}

/** The exposure export's columns: per household, year, line and cap, what is held, paid and left. */
export const EXPOSURE_COLUMNS: Column<ExposureRow>[] = [
  { header: '户编号', width: 16, value: (e) => e.householdId },
  { header: '村（区划代码）', width: 16, value: (e) => e.divisionCode },
  { header: '保单年度', width: 10, value: (e) => e.policyYear },
  { header: '险种', width: 12, value: (e) => LINE_LABELS[e.line].zh },
  { header: '保险公司', width: 14, value: (e) => e.insurerId },
  { header: '限额项目', width: 28, value: (e) => e.zh },
  { header: '限额（元）', width: 14, money: true, value: (e) => yuanOf(e.limitFen) },
  { header: '已占用（元）', width: 14, money: true, value: (e) => yuanOf(e.heldFen) },
  { header: '其中已支付（元）', width: 16, money: true, value: (e) => yuanOf(e.paidFen) },
  { header: '剩余额度（元）', width: 14, money: true, value: (e) => yuanOf(Math.max(0, e.limitFen - e.heldFen)) },
];
