import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * Uploaded document files (photos, invoices, PDFs), addressed by their content: a file's `_id` is its SHA-256, so the
 * same file uploaded twice is stored once, and a claim lists its documents by that hash. The bytes are in
 * `document_chunks` (255 KiB each, `_id` `<sha256>:<n>`); the file record is written last, so a file is readable
 * exactly when its record exists, and an upload cut short leaves only chunks that the same upload rewrites identically.
 */
export const DOCUMENT_CHUNK_BYTES = 255 * 1024;

const documentFileSchema = new Schema(
  {
    _id: { type: String, required: true },
    size: { type: Number, required: true },
    /** The type found in the content (never the one the client claimed). */
    mediaType: { type: String, required: true },
    chunks: { type: Number, required: true },
    uploadedBy: { type: String, required: true },
    /** The uploader's jurisdiction at the time (who may have seen the file before it was attached to a claim). */
    jurisdiction: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
  },
  { collection: 'documents', versionKey: false },
);

const documentChunkSchema = new Schema(
  {
    _id: { type: String, required: true },
    fileId: { type: String, required: true },
    n: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { collection: 'document_chunks', versionKey: false },
);
documentChunkSchema.index({ fileId: 1, n: 1 });

export type DocumentFileDoc = InferSchemaType<typeof documentFileSchema>;
export type DocumentFileModel = Model<DocumentFileDoc>;
export type DocumentChunkDoc = InferSchemaType<typeof documentChunkSchema>;
export type DocumentChunkModel = Model<DocumentChunkDoc>;
export const documentFileModel = (c: Connection): DocumentFileModel =>
  (c.models.DocumentFile as DocumentFileModel | undefined) ?? c.model('DocumentFile', documentFileSchema);
export const documentChunkModel = (c: Connection): DocumentChunkModel =>
  (c.models.DocumentChunk as DocumentChunkModel | undefined) ?? c.model('DocumentChunk', documentChunkSchema);
