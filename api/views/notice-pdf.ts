import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { formatYuan } from '../../domain/money';
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

const COLUMNS = [
  { zh: '序号', width: 34 },
  { zh: '姓名', width: 62 },
  { zh: '与户主关系', width: 62 },
  { zh: '险种', width: 70 },
  { zh: '事由', width: 190 },
  { zh: '拟赔付金额', width: 77 },
] as const;

/** The notice as an A4 PDF, one round per page (more when long), ready to print and pin up in the village. */
export function renderNoticePdf(notice: PublicNotice, font: { path: string; family?: string }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 50, right: 50 },
    info: { Title: `${notice.village.name}防贫保理赔公示名单`, Author: notice.issuer.zh },
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
    doc.text(`异议方式：${notice.howToObject.zh}`, left, doc.y, { width: right - left });
    doc.moveDown(0.4);
    doc.text(`村级受理：${notice.villageContact.zh}`, { width: right - left });
    doc.text(`县级异议受理电话：${notice.objectionLine}`, { width: right - left });
    doc.moveDown(0.8);
    doc.text(`发布单位：${notice.issuer.zh}`, { width: right - left, align: 'right' });
    doc.text(`发布日期：${notice.issuedOn}`, { width: right - left, align: 'right' });
  }

  function header(round: PublicNotice['rounds'][number], continued: boolean) {
    doc.fontSize(18).text(`${notice.village.name}防贫保理赔公示名单${continued ? '（续）' : ''}`, left, doc.page.margins.top, {
      width: right - left,
      align: 'center',
    });
    doc.moveDown(0.5);
    doc.fontSize(11).text(`公示期：${round.startedOn} 至 ${round.endsOn}（共 ${round.entries.length} 户次）`, {
      width: right - left,
      align: 'center',
    });
    doc.moveDown(0.8);
    row(
      COLUMNS.map((c) => c.zh),
      true,
    );
  }

  function row(cells: readonly string[], bold = false) {
    doc.fontSize(bold ? 10.5 : 10);
    const heights = cells.map((text, i) => doc.heightOfString(text, { width: COLUMNS[i]!.width - 8 }));
    const height = Math.max(...heights) + 10;
    const top = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      const width = COLUMNS[i]!.width;
      doc.rect(x, top, width, height).stroke('#555555');
      doc.fillColor('#000000').text(text, x + 4, top + 5, { width: width - 8, align: i === 5 ? 'right' : 'left' });
      x += width;
    });
    doc.x = left;
    doc.y = top + height;
  }

  notice.rounds.forEach((round, r) => {
    if (r > 0) doc.addPage();
    header(round, false);
    round.entries.forEach((entry, i) => {
      if (doc.y > bottom()) {
        doc.addPage();
        header(round, true);
      }
      row([String(i + 1), entry.name, entry.relation.zh, entry.line.zh, entry.event.zh, formatYuan(entry.proposedFen)]);
    });
    footer();
  });
  if (notice.rounds.length === 0) {
    doc.fontSize(18).text(`${notice.village.name}防贫保理赔公示名单`, { align: 'center' });
    doc.moveDown(1).fontSize(12).text('本村当前没有处于公示期的理赔案件。', { align: 'center' });
    footer();
  }
  doc.end();
  return done;
}
