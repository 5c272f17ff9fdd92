import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { LINE_LABELS } from '../../domain/codes';
import { formatShanghai } from '../../domain/dates';
import { STAGE_LABELS, STATUS_LABELS } from '../../domain/lifecycle';
import type { ClaimProjection } from '../../workflows/claim/projection';

/** The most rows one export holds: a county's year of claims, in bounded memory (rows are streamed as written). */
export const MAX_EXPORT_ROWS = 100_000;

const COLUMNS: { header: string; key: string; width: number; money?: boolean }[] = [
  { header: '案件编号', key: 'claimNo', width: 26 },
  { header: '户编号', key: 'householdId', width: 16 },
  { header: '村（区划代码）', key: 'divisionCode', width: 16 },
  { header: '险种', key: 'line', width: 12 },
  { header: '环节', key: 'stage', width: 16 },
  { header: '状态', key: 'status', width: 10 },
  { header: '出险日期', key: 'eventDate', width: 12 },
  { header: '报案时间（北京时间）', key: 'filedAt', width: 20 },
  { header: '测算赔款（元）', key: 'proposed', width: 14, money: true },
  { header: '核定赔款（元）', key: 'approved', width: 14, money: true },
  { header: '已支付（元）', key: 'paid', width: 14, money: true },
  { header: '是否超时', key: 'late', width: 10 },
];

/** Yuan with two decimals as a number cell (so sums work in Excel), from integer fen. */
const yuan = (fen: number | null) => (fen === null ? null : Math.round(fen) / 100);

/**
 * A claim list as .xlsx, streamed: Chinese headers, money in yuan with two decimals, times in Beijing time. The list
 * rows carry no personal number (the read model holds none), so nothing needs masking here.
 */
export async function writeClaimsXlsx(
  out: Writable,
  pages: AsyncIterable<ClaimProjection[]>,
  meta: { title: string; generatedAt: Date },
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  workbook.creator = 'fangpin';
  workbook.created = meta.generatedAt;
  const sheet = workbook.addWorksheet('理赔案件', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map(({ header, key, width }) => ({ header, key, width }));
  sheet.getRow(1).font = { bold: true };
  COLUMNS.forEach((c, i) => {
    if (c.money) sheet.getColumn(i + 1).numFmt = '#,##0.00';
  });
  sheet.getRow(1).commit();
  let rows = 0;
  for await (const page of pages) {
    for (const claim of page) {
      if (rows >= MAX_EXPORT_ROWS) break;
      sheet
        .addRow({
          claimNo: claim.claimNo,
          householdId: claim.householdId,
          divisionCode: claim.divisionCode,
          line: LINE_LABELS[claim.line].zh,
          stage: STAGE_LABELS[claim.stage].zh,
          status: STATUS_LABELS[claim.status].zh,
          eventDate: claim.eventDate,
          filedAt: formatShanghai(claim.filedAt),
          proposed: yuan(claim.proposedFen),
          approved: yuan(claim.approvedFen),
          paid: yuan(claim.paidFen),
          late: claim.slaBreached ? '是' : '否',
        })
        .commit();
      rows += 1;
    }
    if (rows >= MAX_EXPORT_ROWS) break;
  }
  sheet.commit();
  const about = workbook.addWorksheet('说明');
  about.addRow([meta.title]).commit();
  about.addRow([`导出时间（北京时间）：${formatShanghai(meta.generatedAt.toISOString())}`]).commit();
  about
    .addRow([`共 ${rows} 件${rows >= MAX_EXPORT_ROWS ? `（已达单次导出上限 ${MAX_EXPORT_ROWS} 件，请缩小筛选范围）` : ''}`])
    .commit();
  about.addRow(['金额单位：元（保留两位小数）；时间均为北京时间。']).commit();
  about.commit();
  await workbook.commit();
  return rows;
}
