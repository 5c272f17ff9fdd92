import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import { isInJurisdiction } from '../../domain/divisions';
import { actorOf, requireRole, STAFF } from '../auth/middleware';
import { ImportIdParam, StartImportQuery } from '../contracts/imports';
import { claimsTemplate } from '../imports/claims-template';
import { rosterTemplate } from '../imports/roster-template';
import type { ImportService } from '../services/imports';
import { startXlsxDownload } from '../views/xlsx';
import type { ImportJob } from '../../db/repositories/imports';
import type { Product } from '../../domain/product';

export const MAX_IMPORT_BYTES = 30 * 1024 * 1024;
const readFile = express.raw({ type: () => true, limit: MAX_IMPORT_BYTES });

/** The upload as raw bytes, with a clear answer when it is over the limit. */
function receiveFile(req: Request, res: Response, next: NextFunction): void {
  readFile(req, res, (error?: unknown) => {
    if ((error as { type?: string } | undefined)?.type === 'entity.too.large')
      return next(
        new AppError('PAYLOAD_TOO_LARGE', {
          zh: `文件超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB 上限：请按乡镇或村分成几个文件。`,
          en: `The file is over the ${MAX_IMPORT_BYTES / 1024 / 1024} MB limit: split it by township or village.`,
        }),
      );
    next(error);
  });
}

const importNotFound = (id: string) => new AppError('NOT_FOUND', { zh: `没有导入任务 ${id}。`, en: `No import ${id}.` });

/** A job as the API shows it: progress, counts, links (the file's own bytes never leave). */
function importView(job: ImportJob) {
  const { fileId: _fileId, reportId, ...rest } = job;
  void _fileId;
  return {
    ...rest,
    links: {
      self: `/imports/${job.id}`,
      ...(reportId ? { report: `/imports/${job.id}/report` } : {}),
    },
  };
}

/** Excel imports: the template, an upload that starts a job, the job's progress and its per-row report. */
export function importRouter({ imports, products }: { imports: ImportService; products: readonly Product[] }): Router {
  const router = Router();

  router.get('/imports/templates/roster', requireRole(...STAFF), async (_req, res) => {
    startXlsxDownload(res, 'roster-template.xlsx', '农户花名册导入模板.xlsx');
    res.end(await rosterTemplate());
  });

  router.get('/imports/templates/claims', requireRole(...STAFF), async (_req, res) => {
    startXlsxDownload(res, 'claims-template.xlsx', '批量报案导入模板.xlsx');
    res.end(await claimsTemplate(products));
  });

  const upload = (kind: 'roster' | 'claims', defaultName: string) => [
    requireRole(...STAFF),
    receiveFile,
    async (req: Request, res: Response) => {
      const { mode, fileName } = parseInput(StartImportQuery, req.query, 'query');
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (content.length === 0)
        throw new AppError('VALIDATION_FAILED', { zh: '没有收到文件内容。', en: 'No file content was sent.' });
      const job = await imports.start(actorOf(res), content, { kind, mode, fileName: fileName ?? defaultName });
      res.status(202).location(`/imports/${job.id}`).json(importView(job));
    },
  ];
  router.post('/imports/roster', ...upload('roster', '花名册.xlsx'));
  router.post('/imports/claims', ...upload('claims', '批量报案.xlsx'));

  router.get('/imports', requireRole(...STAFF), async (_req, res) => {
    res.json({ items: (await imports.recent(actorOf(res).jurisdiction)).map(importView) });
  });

  async function visible(id: string, jurisdiction: string) {
    const job = await imports.find(id);
    if (!job || !isInJurisdiction(job.jurisdiction, jurisdiction)) throw importNotFound(id);
    return job;
  }

  router.get('/imports/:importId', requireRole(...STAFF), async (req, res) => {
    const { importId } = parseInput(ImportIdParam, req.params, 'path');
    res.json(importView(await visible(importId, actorOf(res).jurisdiction)));
  });

  router.get('/imports/:importId/report', requireRole(...STAFF), async (req, res) => {
    const { importId } = parseInput(ImportIdParam, req.params, 'path');
    const job = await visible(importId, actorOf(res).jurisdiction);
    const report = await imports.report(job);
    if (!report)
      throw new AppError('CONFLICT', {
        zh: '导入尚未完成，完成后才有结果报告。',
        en: 'The import has not finished: its report comes when it does.',
      });
    const day = job.createdAt.slice(0, 10);
    startXlsxDownload(res, `import-report-${job.id}.xlsx`, `导入结果-${job.fileName.replace(/\.xlsx$/i, '')}-${day}.xlsx`);
    res.end(report);
  });

  return router;
}
