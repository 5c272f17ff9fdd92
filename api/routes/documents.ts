import express, { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../common/errors';
import { contentDisposition } from '../../common/http/content-disposition';
import { parseInput } from '../../common/http/validate';
import { ClaimNoSchema } from '../../domain/claim';
import { isInJurisdiction } from '../../domain/divisions';
import {
  DOCUMENT_MEDIA_TYPES,
  EXTENSION_OF,
  MAX_DOCUMENT_BYTES,
  detectMediaType,
  type DocumentMediaType,
} from '../../domain/document-files';
import type { DocumentRepository } from '../../db/repositories/documents';
import { actorOf, requireRole, STAFF } from '../auth/middleware';
import { claimNotFound } from '../problems';
import type { ClaimService } from '../services/claims';

const DocumentParam = z.strictObject({
  claimNo: ClaimNoSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
});

const MIB = MAX_DOCUMENT_BYTES / 1024 / 1024;
const readFile = express.raw({ type: () => true, limit: MAX_DOCUMENT_BYTES });

/** The listed name (Chinese as it is) with the extension of the type found, and an ASCII one from the hash. */
function dispositionOf(name: string, sha256: string, mediaType: DocumentMediaType): string {
  const extension = EXTENSION_OF[mediaType];
  const withExtension = name.toLowerCase().endsWith(`.${extension}`) ? name : `${name}.${extension}`;
  return contentDisposition('inline', `${sha256.slice(0, 12)}.${extension}`, withExtension);
}

/**
 * Document files: staff upload a file (its bytes as the body), get its SHA-256 and list it on a claim by that hash;
 * a file is read back only through a claim the caller may see that lists it.
 */
export function documentRouter({ documents, service }: { documents: DocumentRepository; service: ClaimService }): Router {
  const router = Router();

  router.post('/documents', requireRole(...STAFF), (req, res, next) => {
    readFile(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
        return next(
          new AppError('PAYLOAD_TOO_LARGE', {
            zh: `文件超过 ${MIB} MB 上限，请压缩或分页扫描后再上传。`,
            en: `The file is over the ${MIB} MB limit: compress it or scan it in parts.`,
          }),
        );
      }
      next(error);
    });
  });
  router.post('/documents', async (req, res) => {
    const actor = actorOf(res);
    const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (content.length === 0) {
      throw new AppError('VALIDATION_FAILED', { zh: '没有收到文件内容。', en: 'No file content was sent.' });
    }
    const mediaType = detectMediaType(content);
    if (!mediaType) {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        {
          zh: '只能上传 PDF、JPEG、PNG、WebP 或 HEIC 文件（按文件内容判断，不看扩展名）。',
          en: 'Only PDF, JPEG, PNG, WebP or HEIC files are taken (judged by the content, not the name).',
        },
        { accepted: DOCUMENT_MEDIA_TYPES },
      );
    }
    const { created, document } = await documents.store(content, mediaType, {
      userId: actor.userId,
      jurisdiction: actor.jurisdiction,
    });
    res.status(created ? 201 : 200).json(document);
  });

  router.get('/claims/:claimNo/documents/:sha256', async (req, res) => {
    const actor = actorOf(res);
    const { claimNo, sha256 } = parseInput(DocumentParam, req.params, 'path');
    const claim = await service.findFiled(claimNo);
    if (!claim || !isInJurisdiction(claim.divisionCode, actor.jurisdiction)) throw claimNotFound(claimNo);
    const state = await service.state(claimNo);
    const listed = [...state.claim.documents, ...state.objections.flatMap((o) => o.evidence)].find((d) => d.sha256 === sha256);
    const file = listed ? await documents.read(sha256) : null;
    if (!listed || !file) {
      throw new AppError('NOT_FOUND', {
        zh: `案件 ${claimNo} 没有这份材料。`,
        en: `Claim ${claimNo} lists no such document.`,
      });
    }
    const mediaType = file.document.mediaType as DocumentMediaType;
    res
      .status(200)
      .type(mediaType)
      .set({
        'content-disposition': dispositionOf(listed.name, sha256, mediaType),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "sandbox; default-src 'none'",
        'cache-control': 'private, max-age=3600, immutable',
        etag: `"${sha256}"`,
      })
      .send(file.content);
  });
  return router;
}
