/**
 * What every Excel import shares: its whole-file problems, the signal that another process took the job over, its
 * progress callback, and the report written to a buffer.
 */
import { PassThrough, type Writable } from 'node:stream';
import type { ImportCounts, ImportMode } from '../../db/repositories/imports';
import type { Actor } from '../../workflows/claim/types';
import { MAX_EXPORT_ROWS } from '../views/xlsx';

/** The file as a whole cannot be imported (not the template's sheet, too many rows). */
export class ImportFileProblem extends Error {
  constructor(readonly text: { zh: string; en: string }) {
    super(text.en);
  }
}

/** The lease on the job was lost: another process runs it now. */
export class ImportAbandoned extends Error {}

/** Progress is saved (and the lease renewed) every this many rows. */
export const PROGRESS_EVERY = 250;
/** The most rows one file may hold (the report lists every row, and one export holds at most this many). */
export const MAX_ROWS = MAX_EXPORT_ROWS;

export const tooManyRows = () =>
  new ImportFileProblem({
    zh: `文件超过 ${MAX_ROWS} 行：请按乡镇或村分成几个文件导入。`,
    en: `The file has more than ${MAX_ROWS} rows: split it by township or village.`,
  });

export type ImportPhase = 'checking' | 'importing';

/** One run of an import job over its file. */
export interface ImportRun {
  jobId: string;
  fileName: string;
  mode: ImportMode;
  actor: Actor;
  content: Buffer;
  /** Called every few hundred rows; false means the job was taken over (the run stops). */
  progress(phase: ImportPhase, doneRows: number, totalRows: number | null, counts: ImportCounts): Promise<boolean>;
}

export interface ImportResult {
  status: 'done' | 'refused';
  totalRows: number;
  counts: ImportCounts;
  /** The per-row report (.xlsx). */
  report: Buffer;
}

/** A row's problems as its report says them: each in its column, in Chinese. */
export const describeProblems = (problems: readonly { column?: string; zh: string }[]): string =>
  problems.map((p) => (p.column ? `【${p.column}】${p.zh}` : p.zh)).join('；');

/** Saves progress every PROGRESS_EVERY rows, and stops the run when the job was taken over. */
export function progressTicker(run: Pick<ImportRun, 'progress'>) {
  return async (phase: ImportPhase, done: number, total: number | null, counts: ImportCounts) => {
    if (done % PROGRESS_EVERY === 0 && !(await run.progress(phase, done, total, counts))) throw new ImportAbandoned();
  };
}

/** The bytes `write` writes (a report is small beside its file: rows of outcome, not the file's data). */
export async function bufferOf(write: (out: Writable) => Promise<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => sink.on('end', resolve));
  await write(sink);
  sink.end();
  await ended;
  return Buffer.concat(chunks);
}
