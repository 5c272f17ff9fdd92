import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { DOCUMENT_CHUNK_BYTES, documentChunkModel, documentFileModel } from '../models/document';

export interface StoredDocument {
  sha256: string;
  size: number;
  mediaType: string;
  uploadedAt: string;
}

export interface Uploader {
  userId: string;
  jurisdiction: string;
}

/** A chunk's bytes as lean reads give them: the driver's Binary (its `buffer`), or a Buffer. */
const bytesOf = (data: unknown): Buffer =>
  Buffer.from(data instanceof Uint8Array ? data : (data as { buffer: Uint8Array }).buffer);

/** Document files by content (see models/document): stored once per SHA-256, read back whole, checked on the way out. */
export function createDocumentRepository(connection: Connection) {
  const files = documentFileModel(connection);
  const chunks = documentChunkModel(connection);
  const view = (f: { _id: string; size: number; mediaType: string; uploadedAt: Date }): StoredDocument => ({
    sha256: f._id,
    size: f.size,
    mediaType: f.mediaType,
    uploadedAt: f.uploadedAt.toISOString(),
  });

  return {
    /**
     * Stores a file (its type already checked) and says whether it was new. Chunks first, each an upsert of the same
     * bytes under the same key (racing uploads of one file write identical chunks), the record last (one wins the
     * insert, the other finds it): a file is never visible before its bytes are all there.
     */
    async store(content: Buffer, mediaType: string, uploader: Uploader): Promise<{ created: boolean; document: StoredDocument }> {
      const sha256 = createHash('sha256').update(content).digest('hex');
      const existing = await files.findById(sha256).lean();
      if (existing) return { created: false, document: view(existing) };
      const count = Math.max(1, Math.ceil(content.length / DOCUMENT_CHUNK_BYTES));
      for (let n = 0; n < count; n++) {
        const data = content.subarray(n * DOCUMENT_CHUNK_BYTES, (n + 1) * DOCUMENT_CHUNK_BYTES);
        await retryWrite(
          () => chunks.updateOne({ _id: `${sha256}:${n}` }, { $setOnInsert: { fileId: sha256, n, data } }, { upsert: true }),
          { upsert: true },
        );
      }
      const record = {
        _id: sha256,
        size: content.length,
        mediaType,
        chunks: count,
        uploadedBy: uploader.userId,
        jurisdiction: uploader.jurisdiction,
        uploadedAt: new Date(),
      };
      try {
        await retryWrite(() => files.create(record));
        return { created: true, document: view(record) };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const winner = await files.findById(sha256).lean();
        if (!winner) throw error;
        return { created: false, document: view(winner) };
      }
    },

    async find(sha256: string): Promise<StoredDocument | null> {
      const found = await files.findById(sha256).lean();
      return found ? view(found) : null;
    },

    /** Which of these hashes have no stored file (in the order given). */
    async missing(sha256s: readonly string[]): Promise<string[]> {
      if (sha256s.length === 0) return [];
      const found = await files.find({ _id: { $in: [...new Set(sha256s)] } }, { _id: 1 }).lean();
      const stored = new Set(found.map((f) => f._id));
      return sha256s.filter((s) => !stored.has(s));
    },

    /** A stored file's bytes, checked against its hash (a damaged file is an error, never served). */
    async read(sha256: string): Promise<{ document: StoredDocument; content: Buffer } | null> {
      const file = await files.findById(sha256).lean();
      if (!file) return null;
      const parts = await chunks.find({ fileId: sha256 }).sort({ n: 1 }).lean();
      const content = Buffer.concat(parts.map((p) => bytesOf(p.data)));
      if (parts.length !== file.chunks || createHash('sha256').update(content).digest('hex') !== sha256) {
        throw new Error(`document ${sha256.slice(0, 12)}… is damaged: ${parts.length}/${file.chunks} chunks`);
      }
      return { document: view(file), content };
    },
  };
}

export type DocumentRepository = ReturnType<typeof createDocumentRepository>;
