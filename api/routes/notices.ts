import { Router, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../common/errors';
import { contentDisposition } from '../../common/http/content-disposition';
import { parseInput } from '../../common/http/validate';
import { actorOf, requireRole, STAFF } from '../auth/middleware';
import type { NoticeService } from '../services/notices';
import { noticeFont, renderMonitoringNoticePdf, renderNoticePdf } from '../views/notice-pdf';

const VillageParam = z.strictObject({ village: z.string().regex(/^\d{12}$/, 'a 12-digit village code') });

function fontOrRefuse() {
  const font = noticeFont();
  if (!font) {
    throw new AppError('DEPENDENCY_UNAVAILABLE', {
      zh: '服务器缺少中文字体，无法生成 PDF：请安装 fonts-wqy-microhei（或设置 NOTICE_FONT）。',
      en: 'The server has no CJK font for the PDF: install fonts-wqy-microhei (or set NOTICE_FONT).',
    });
  }
  return font;
}

function sendPdf(res: Response, pdf: Buffer, asciiName: string, name: string) {
  res
    .status(200)
    .type('application/pdf')
    .set({ 'content-disposition': contentDisposition('inline', asciiName, name), 'cache-control': 'no-store' })
    .send(pdf);
}

/** 公示名单: a village's claims under public notice, as data (the workbench's page) and as a printable A4 PDF. */
export function noticeRouter({ notices }: { notices: NoticeService }): Router {
  const router = Router();
  router.get('/notices/:village', requireRole(...STAFF), async (req, res) => {
    const { village } = parseInput(VillageParam, req.params, 'path');
    res.json(await notices.villageNotice(actorOf(res), village));
  });
  router.get('/notices/:village/pdf', requireRole(...STAFF), async (req, res) => {
    const { village } = parseInput(VillageParam, req.params, 'path');
    const notice = await notices.villageNotice(actorOf(res), village);
    const pdf = await renderNoticePdf(notice, fontOrRefuse());
    sendPdf(res, pdf, `notice-${village}-${notice.issuedOn}.pdf`, `公示名单-${notice.village.name}-${notice.issuedOn}.pdf`);
  });

  /** 防返贫监测评议公示: the village's monitoring appraisals under notice, as data and as a printable PDF. */
  router.get('/notices/:village/monitoring', requireRole(...STAFF), async (req, res) => {
    const { village } = parseInput(VillageParam, req.params, 'path');
    res.json(await notices.monitoringNotice(actorOf(res), village));
  });
  router.get('/notices/:village/monitoring/pdf', requireRole(...STAFF), async (req, res) => {
    const { village } = parseInput(VillageParam, req.params, 'path');
    const notice = await notices.monitoringNotice(actorOf(res), village);
    const pdf = await renderMonitoringNoticePdf(notice, fontOrRefuse());
    sendPdf(
      res,
      pdf,
      `monitoring-notice-${village}-${notice.issuedOn}.pdf`,
      `监测评议公示-${notice.village.name}-${notice.issuedOn}.pdf`,
    );
  });
  return router;
}
