import type { Connection } from 'mongoose';
import { retryWrite } from '../errors';
import {
  ACTIVE_IMPORT_STATUSES,
  importJobModel,
  type IMPORT_KINDS,
  type IMPORT_MODES,
  type IMPORT_STATUSES,
} from '../models/import-job';

export type ImportKind = (typeof IMPORT_KINDS)[number];
export type ImportMode = (typeof IMPORT_MODES)[number];
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** The outcome of each row, counted. */
export interface ImportCounts {
  /** Claims a batch filed. */
  filed?: number;
  created?: number;
  updated?: number;
  pending?: number;
  unchanged?: number;
  refused?: number;
  skipped?: number;
}

export interface ImportJob {
  id: string;
  kind: ImportKind;
  mode: ImportMode;
  status: ImportStatus;
  fileName: string;
  fileId: string;
  fileSha256: string;
  size: number;
  eventId?: string | null;
  by: { userId: string; role: string; name?: string };
  jurisdiction: string;
  totalRows: number | null;
  doneRows: number;
  counts: ImportCounts;
  problem: { zh: string; en: string } | null;
  reportId: string | null;
  runs: number;
  createdAt: string;
  finishedAt: string | null;
}

type Doc = Omit<ImportJob, 'id' | 'createdAt' | 'finishedAt'> & { _id: string; createdAt: Date; finishedAt: Date | null };
const jobOf = ({ _id, createdAt, finishedAt, ...rest }: Doc & { leaseOwner?: unknown; leaseUntil?: unknown }): ImportJob => {
  const { leaseOwner: _owner, leaseUntil: _until, ...job } = rest;
  void _owner;
  void _until;
  return { id: _id, ...job, createdAt: createdAt.toISOString(), finishedAt: finishedAt ? finishedAt.toISOString() : null };
};

export function createImportRepository(connection: Connection) {
  const jobs = importJobModel(connection);
  const active = { $in: [...ACTIVE_IMPORT_STATUSES] };
  return {
    async create(
      job: Omit<
        ImportJob,
        'status' | 'totalRows' | 'doneRows' | 'counts' | 'problem' | 'reportId' | 'runs' | 'createdAt' | 'finishedAt'
      >,
    ) {
      const { id, ...rest } = job;
      const doc = await retryWrite(() =>
        jobs.create({ _id: id, ...rest, status: 'queued', createdAt: new Date(), leaseUntil: new Date(0) }),
      );
      return jobOf(doc.toObject() as unknown as Doc);
    },

    async find(id: string): Promise<ImportJob | null> {
      const doc = await jobs.findById(id).lean<Doc>();
      return doc ? jobOf(doc) : null;
    },

    /** The newest imports of a jurisdiction (its own and those of the areas inside it). */
    async recent(scope: string, limit = 20): Promise<ImportJob[]> {
      const docs = await jobs
        .find({ jurisdiction: { $gte: scope, $lt: `${scope}:` } })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<Doc[]>();
      return docs.map(jobOf);
    },

    /** Takes the job for `owner` until now + leaseMs, when it is unfinished and nobody else holds it. */
    async lease(id: string, owner: string, leaseMs: number): Promise<ImportJob | null> {
      const now = new Date();
      const doc = await retryWrite(() =>
        jobs
          .findOneAndUpdate(
            { _id: id, status: active, $or: [{ leaseUntil: { $lt: now } }, { leaseOwner: owner }] },
            { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) }, $inc: { runs: 1 } },
            { new: true },
          )
          .lean<Doc>(),
      );
      return doc ? jobOf(doc) : null;
    },

    /** Unfinished jobs whose lease ran out (their process died): to be taken over. */
    async abandoned(limit = 10): Promise<string[]> {
      const docs = await jobs
        .find({ status: active, leaseUntil: { $lt: new Date() } }, { _id: 1 })
        .limit(limit)
        .lean<{ _id: string }[]>();
      return docs.map((d) => d._id);
    },

    /** Records progress and renews the lease; false when the lease was lost (another process took the job). */
    async progress(
      id: string,
      owner: string,
      leaseMs: number,
      fields: Partial<Pick<ImportJob, 'status' | 'totalRows' | 'doneRows' | 'counts'>>,
    ): Promise<boolean> {
      const result = await retryWrite(() =>
        jobs.updateOne(
          { _id: id, leaseOwner: owner, status: active },
          { $set: { ...fields, leaseUntil: new Date(Date.now() + leaseMs) } },
        ),
      );
      return result.matchedCount === 1;
    },

    /** Ends the job (done, refused or failed) and lets go of it. */
    async finish(
      id: string,
      owner: string,
      fields: Pick<ImportJob, 'status'> & Partial<Pick<ImportJob, 'totalRows' | 'doneRows' | 'counts' | 'problem' | 'reportId'>>,
    ): Promise<boolean> {
      const result = await retryWrite(() =>
        jobs.updateOne(
          { _id: id, leaseOwner: owner, status: active },
          { $set: { ...fields, finishedAt: new Date(), leaseOwner: null, leaseUntil: null } },
        ),
      );
      return result.matchedCount === 1;
    },
  };
}

export type ImportRepository = ReturnType<typeof createImportRepository>;
