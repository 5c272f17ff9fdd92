import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { formatYuan } from '../../domain/money';
import type { MonitoringNotice } from '../../domain/monitoring-notice';
import type { PublicNotice } from '../../domain/notice';

/**
 * A CJK font from a package: Debian's fonts-wqy-microhei (what `npm start`, `npm test` and the image install), or
 * Noto Sans CJK, or the file NOTICE_FONT names (`path` or `path#PostScriptName` for a collection).
 */
const CANDIDATES = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#WenQuanYiMicroHei',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular',
];

export function noticeFont(env: NodeJS.ProcessEnv = process.env): { path: string; family?: string } | undefined {
  for (const candidate of [env.NOTICE_FONT, ...CANDIDATES]) {
    if (!candidate) continue;
    const [path, family] = candidate.split('#') as [string, string | undefined];
    if (existsSync(path)) return { path, ...(family ? { family } : {}) };
  }
  return undefined;
}

interface Column {
  zh: string;
  width: number;
  right?: boolean;
}

/** A printable notice: its title, its table's columns, a table per round, and where and how to object. */
interface NoticeSheet {
  title: string;
  columns: readonly Column[];
  rounds: { startedOn: string; endsOn: string; unit: string; rows: string[][] }[];
  empty: string;
  howToObject: string;
  villageContact: string;
  objectionLine: string;
  issuer: string;
  issuedOn: string;
}

const CLAIM_COLUMNS: readonly Column[] = [
  { zh: '序号', width: 34 },
  { zh: '姓名', width: 62 },
  { zh: '与户主关系', width: 62 },
  { zh: '险种', width: 70 },
  { zh: '事由', width: 190 },
  { zh: '拟赔付金额', width: 77, right: true },
];

const APPRAISAL_COLUMNS: readonly Column[] = [
  { zh: '序号', width: 44 },
  { zh: '户主姓名', width: 110 },
  { zh: '家庭人口', width: 80 },
  { zh: '评议结果', width: 261 },
];

const footerOf = (n: PublicNotice | MonitoringNotice) => ({
  howToObject: n.howToObject.zh,
  villageContact: n.villageContact.zh,
  objectionLine: n.objectionLine,
  issuer: n.issuer.zh,
  issuedOn: n.issuedOn,
});

/** The claims' notice (公示名单) as an A4 PDF, one round per page (more when long), to print and pin up in the village. */
export function renderNoticePdf(notice: PublicNotice, font: { path: string; family?: string }): Promise<Buffer> {
  return renderSheetPdf(
    {
      title: `${notice.village.name}防贫保理赔公示名单`,
      columns: CLAIM_COLUMNS,
      rounds: notice.rounds.map((r) => ({
        startedOn: r.startedOn,
        endsOn: r.endsOn,
        unit: '户次',
        rows: r.entries.map((e, i) => [String(i + 1), e.name, e.relation.zh, e.line.zh, e.event.zh, formatYuan(e.proposedFen)]),
      })),
      empty: '本村当前没有处于公示期的理赔案件。',
      ...footerOf(notice),
    },
    font,
  );
}

/** The monitoring appraisals' notice (防返贫监测评议公示) as an A4 PDF, like the claims'. */
export function renderMonitoringNoticePdf(notice: MonitoringNotice, font: { path: string; family?: string }): Promise<Buffer> {
  return renderSheetPdf(
    {
      title: `${notice.village.name}防返贫动态监测评议公示`,
      columns: APPRAISAL_COLUMNS,
      rounds: notice.rounds.map((r) => ({
        startedOn: r.startedOn,
        endsOn: r.endsOn,
        unit: '户',
        rows: r.entries.map((e, i) => [String(i + 1), e.name, `${e.members} 人`, e.proposal.zh]),
      })),
      empty: '本村当前没有处于公示期的监测评议。',
      ...footerOf(notice),
    },
    font,
  );
}

function renderSheetPdf(sheet: NoticeSheet, font: { path: string; family?: string }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 50, right: 50 },
    info: { Title: sheet.title, Author: sheet.issuer },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.path, font.family);
  doc.font('cjk');

  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom - 120;

  function footer() {
    doc.moveDown(1.5);
    doc.fontSize(10);
    doc.text(`异议方式：${sheet.howToObject}`, left, doc.y, { width: right - left });
    doc.moveDown(0.4);
    doc.text(`村级受理：${sheet.villageContact}`, { width: right - left });
    doc.text(`县级异议受理电话：${sheet.objectionLine}`, { width: right - left });
    doc.moveDown(0.8);
    doc.text(`发布单位：${sheet.issuer}`, { width: right - left, align: 'right' });
    doc.text(`发布日期：${sheet.issuedOn}`, { width: right - left, align: 'right' });
  }

  function header(round: NoticeSheet['rounds'][number], continued: boolean) {
    doc.fontSize(18).text(`${sheet.title}${continued ? '（续）' : ''}`, left, doc.page.margins.top, {
      width: right - left,
      align: 'center',
    });
    doc.moveDown(0.5);
    doc.fontSize(11).text(`公示期：${round.startedOn} 至 ${round.endsOn}（共 ${round.rows.length} ${round.unit}）`, {
      width: right - left,
      align: 'center',
    });
    doc.moveDown(0.8);
    row(
      sheet.columns.map((c) => c.zh),
      true,
    );
  }

  function row(cells: readonly string[], bold = false) {
    doc.fontSize(bold ? 10.5 : 10);
    const heights = cells.map((text, i) => doc.heightOfString(text, { width: sheet.columns[i]!.width - 8 }));
    const height = Math.max(...heights) + 10;
    const top = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      const column = sheet.columns[i]!;
      doc.rect(x, top, column.width, height).stroke('#555555');
      doc.fillColor('#000000').text(text, x + 4, top + 5, { width: column.width - 8, align: column.right ? 'right' : 'left' });
      x += column.width;
    });
    doc.x = left;
    doc.y = top + height;
  }

  sheet.rounds.forEach((round, r) => {
    if (r > 0) doc.addPage();
    header(round, false);
    round.rows.forEach((cells) => {
      if (doc.y > bottom()) {
        doc.addPage();
        header(round, true);
      }
      row(cells);
    });
    footer();
  });
  if (sheet.rounds.length === 0) {
    doc.fontSize(18).text(sheet.title, { align: 'center' });
    doc.moveDown(1).fontSize(12).text(sheet.empty, { align: 'center' });
    footer();
  }
  doc.end();
  return done;
}
