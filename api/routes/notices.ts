import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../common/errors';
import { contentDisposition } from '../../common/http/content-disposition';
import { parseInput } from '../../common/http/validate';
import { actorOf, requireRole, STAFF } from '../auth/middleware';
import type { NoticeService } from '../services/notices';
import { noticeFont, renderNoticePdf } from '../views/notice-pdf';

const VillageParam = z.strictObject({ village: z.string().regex(/^\d{12}$/, 'a 12-digit village code') });

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
    const font = noticeFont();
    if (!font) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', {
        zh: '服务器缺少中文字体，无法生成 PDF：请安装 fonts-wqy-microhei（或设置 NOTICE_FONT）。',
        en: 'The server has no CJK font for the PDF: install fonts-wqy-microhei (or set NOTICE_FONT).',
      });
    }
    const pdf = await renderNoticePdf(notice, font);
    const name = `公示名单-${notice.village.name}-${notice.issuedOn}.pdf`;
    res
      .status(200)
      .type('application/pdf')
      .set({
        'content-disposition': contentDisposition('inline', `notice-${village}-${notice.issuedOn}.pdf`, name),
        'cache-control': 'no-store',
      })
      .send(pdf);
  });
  return router;
}
