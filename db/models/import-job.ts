import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

export const IMPORT_KINDS = ['roster', 'claims', 'disaster_claims'] as const;
export const IMPORT_MODES = ['all_or_nothing', 'valid_rows'] as const;
export const IMPORT_STATUSES = ['queued', 'checking', 'importing', 'done', 'refused', 'failed'] as const;
export const ACTIVE_IMPORT_STATUSES = ['queued', 'checking', 'importing'] as const;

/**
 * An Excel import: the uploaded file (encrypted, in the document store), who asked, how (all rows or the good ones),
 * how far it got, and its per-row report when done. A process runs it under a lease it renews; a job whose lease ran
 * out (its process died) is taken over and run again from the start: every change it makes carries the job's own
 * key, so a change already applied is recognised, never made twice.
 */
const importJobSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: IMPORT_KINDS, required: true },
    mode: { type: String, enum: IMPORT_MODES, required: true },
    status: { type: String, enum: IMPORT_STATUSES, required: true },
    fileName: { type: String, required: true },
    /** The encrypted upload's id in the document store, and the SHA-256 of the file as uploaded (imports). */
    fileId: { type: String, default: '' },
    fileSha256: { type: String, default: '' },
    size: { type: Number, default: 0 },
    /** The disaster event whose waiting losses a batch files (disaster_claims). */
    eventId: { type: String, default: null },
    by: { userId: String, role: String, name: String },
    jurisdiction: { type: String, required: true },
    /** Rows of data in the sheet (known once the check has read it all), and rows done in the current pass. */
    totalRows: { type: Number, default: null },
    doneRows: { type: Number, default: 0 },
    counts: { type: Schema.Types.Mixed, default: {} },
    /** A whole-file problem (no roster sheet, missing columns, unreadable): in Chinese and English. */
    problem: { type: Schema.Types.Mixed, default: null },
    reportId: { type: String, default: null },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    runs: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'import_jobs', versionKey: false, minimize: false },
);
importJobSchema.index({ jurisdiction: 1, createdAt: -1 });
importJobSchema.index({ status: 1, leaseUntil: 1 });

export type ImportJobDoc = InferSchemaType<typeof importJobSchema>;
export type ImportJobModel = Model<ImportJobDoc>;
export const importJobModel = (c: Connection): ImportJobModel =>
  (c.models.ImportJob as ImportJobModel | undefined) ?? c.model('ImportJob', importJobSchema);
