/**
 * Excel imports as durable jobs. An upload is stored (encrypted: a roster is full of ID and card numbers), its job
 * recorded, and then run in this process under a lease renewed as it goes. When the process dies the lease runs out,
 * and the sweep of any API process takes the job over and runs it again from the start; the changes it makes carry
 * the job's key, so what the first run applied is recognised and never applied twice.
 */
import { hostname } from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../../common/errors';
import type { PiiCipher } from '../../common/crypto/pii';
import type { DocumentRepository } from '../../db/repositories/documents';
import type { HouseholdRepository } from '../../db/repositories/households';
import type { ImportJob, ImportMode, ImportRepository } from '../../db/repositories/imports';
import { shanghaiDateOf } from '../../domain/dates';
import type { Product } from '../../domain/product';
import type { Actor } from '../../workflows/claim/types';
import { importClaims } from '../imports/claim-import';
import { ImportAbandoned, ImportFileProblem, type ImportResult, type ImportRun } from '../imports/import-run';
import { importRoster } from '../imports/roster-import';
import { NotAWorkbook } from '../imports/xlsx-rows';
import { XLSX_MEDIA_TYPE } from '../views/xlsx';
import { BatchAbandoned, type DisasterService } from './disasters';
import type { ClaimService } from './claims';
import type { HouseholdService } from './households';
import type { KeyedFiling } from './keyed-filing';

const SEALED_MEDIA_TYPE = 'application/vnd.fangpin.sealed';

export interface ImportServiceDeps {
  imports: ImportRepository;
  documents: DocumentRepository;
  households: Pick<HouseholdRepository, 'find'>;
  householdService: HouseholdService;
  pii: PiiCipher;
  logger: Logger;
  /** Files the rows of claim batches (the claims jobs). */
  claims?: { service: Pick<ClaimService, 'preview'>; keyed: KeyedFiling; products: readonly Product[] };
  /** Files a disaster event's waiting losses (the disaster_claims jobs). */
  disasters?: Pick<DisasterService, 'fileWaiting'>;
  /** How long a job stays taken without a sign of life from its process. */
  leaseMs?: number;
  /** How often abandoned jobs are looked for. */
  sweepMs?: number;
}

export function createImportService(deps: ImportServiceDeps) {
  const leaseMs = deps.leaseMs ?? 30_000;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const running = new Map<string, Promise<void>>();
  let sweeper: NodeJS.Timeout | undefined;

  /** Runs an uploaded file's import: a roster, or a batch of claims. */
  function runFile(job: ImportJob, run: ImportRun): Promise<ImportResult> {
    if (job.kind === 'roster') return importRoster({ ...run, households: deps.households, service: deps.householdService });
    if (!deps.claims) throw new Error('this process files no claim batches');
    return importClaims({
      ...run,
      uploadedOn: shanghaiDateOf(new Date(job.createdAt)),
      cropItems: deps.claims.products.flatMap((p) => p.lines.crop?.items.map(({ code, name }) => ({ code, name })) ?? []),
      claims: deps.claims.service,
      households: deps.households,
      keyed: deps.claims.keyed,
    });
  }

  async function runJob(id: string): Promise<void> {
    const job = await deps.imports.lease(id, owner, leaseMs);
    if (!job) return; // finished, or another process holds it
    const log = deps.logger.child({ importId: id, kind: job.kind });
    // the lease is renewed while the job runs, even through a slow stretch of rows
    const heartbeat = setInterval(() => {
      void deps.imports.progress(id, owner, leaseMs, {}).catch(() => undefined);
    }, leaseMs / 3);
    heartbeat.unref();
    try {
      if (job.kind === 'disaster_claims') {
        if (!deps.disasters) throw new Error('this process files no disaster batches');
        const result = await deps.disasters.fileWaiting(job, (doneRows, totalRows) =>
          deps.imports.progress(id, owner, leaseMs, { status: 'importing', doneRows, totalRows, counts: {} }),
        );
        const counts = { filed: result.filed, refused: result.refused };
        await deps.imports.finish(id, owner, {
          status: 'done',
          totalRows: result.filed + result.refused,
          doneRows: result.filed + result.refused,
          counts,
        });
        log.info({ counts }, 'disaster batch filed');
        return;
      }
      const stored = await deps.documents.read(job.fileId);
      if (!stored) throw new Error(`the upload ${job.fileId} of import ${id} is missing`);
      const run: ImportRun = {
        jobId: id,
        fileName: job.fileName,
        mode: job.mode,
        actor: { userId: job.by.userId, role: job.by.role as Actor['role'], jurisdiction: job.jurisdiction },
        content: deps.pii.decryptBytes(stored.content),
        progress: (phase, doneRows, totalRows, counts) =>
          deps.imports.progress(id, owner, leaseMs, {
            status: phase,
            doneRows,
            ...(totalRows !== null ? { totalRows } : {}),
            counts,
          }),
      };
      const result = await runFile(job, run);
      const { document } = await deps.documents.store(result.report, XLSX_MEDIA_TYPE, {
        userId: job.by.userId,
        jurisdiction: job.jurisdiction,
      });
      await deps.imports.finish(id, owner, {
        status: result.status,
        totalRows: result.totalRows,
        doneRows: result.totalRows,
        counts: result.counts,
        reportId: document.sha256,
      });
      log.info({ status: result.status, rows: result.totalRows, counts: result.counts }, 'import finished');
    } catch (error) {
      if (error instanceof ImportAbandoned || error instanceof BatchAbandoned)
        return log.warn('import taken over by another process');
      if (error instanceof ImportFileProblem || error instanceof NotAWorkbook) {
        const problem =
          error instanceof ImportFileProblem
            ? error.text
            : {
                zh: '文件无法作为 .xlsx 工作簿读取（请用 Excel 或 WPS 另存为 .xlsx）。',
                en: 'The file is not a readable .xlsx workbook.',
              };
        await deps.imports.finish(id, owner, { status: 'refused', problem });
        return log.info({ problem: problem.en }, 'import refused');
      }
      // anything else (the database gone, say): the lease runs out and the job is run again by a sweep
      log.error({ err: error }, 'import interrupted; it will be taken up again');
    } finally {
      clearInterval(heartbeat);
    }
  }

  function runInBackground(id: string): Promise<void> {
    const already = running.get(id);
    if (already) return already;
    const run = runJob(id)
      .catch((error: unknown) => deps.logger.error({ err: error, importId: id }, 'import could not be run'))
      .finally(() => running.delete(id));
    running.set(id, run);
    return run;
  }

  return {
    /** Stores the upload, records the job and starts it; answers at once with the job (202). */
    async start(
      actor: Actor,
      file: Buffer,
      { kind, mode, fileName }: { kind: 'roster' | 'claims'; mode: ImportMode; fileName: string },
    ): Promise<ImportJob> {
      if (file.subarray(0, 4).toString('binary') !== 'PK\u0003\u0004')
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
          zh: '请上传 .xlsx 格式的 Excel 文件（.xls 请先另存为 .xlsx）。',
          en: 'Upload an .xlsx workbook (save an .xls as .xlsx first).',
        });
      const sealed = deps.pii.encryptBytes(file);
      const { document } = await deps.documents.store(sealed, SEALED_MEDIA_TYPE, {
        userId: actor.userId,
        jurisdiction: actor.jurisdiction,
      });
      const job = await deps.imports.create({
        id: `imp-${randomBytes(8).toString('hex')}`,
        kind,
        mode,
        fileName,
        fileId: document.sha256,
        fileSha256: createHash('sha256').update(file).digest('hex'),
        size: file.length,
        by: { userId: actor.userId, role: actor.role, ...(actor.name ? { name: actor.name } : {}) },
        jurisdiction: actor.jurisdiction,
      });
      void runInBackground(job.id);
      return job;
    },

    /** Starts filing a disaster event's waiting losses as a batch job (answers the job at once). */
    async startBatch(actor: Actor, event: { eventId: string; name: string }): Promise<ImportJob> {
      const job = await deps.imports.create({
        id: `imp-${randomBytes(8).toString('hex')}`,
        kind: 'disaster_claims',
        mode: 'valid_rows',
        fileName: event.name,
        fileId: '',
        fileSha256: '',
        size: 0,
        eventId: event.eventId,
        by: { userId: actor.userId, role: actor.role, ...(actor.name ? { name: actor.name } : {}) },
        jurisdiction: actor.jurisdiction,
      });
      void runInBackground(job.id);
      return job;
    },

    find: (id: string) => deps.imports.find(id),
    recent: (scope: string) => deps.imports.recent(scope),

    /** The report of a finished job (.xlsx bytes). */
    async report(job: ImportJob): Promise<Buffer | null> {
      if (!job.reportId) return null;
      return (await deps.documents.read(job.reportId))?.content ?? null;
    },

    /** Takes over the jobs whose process died, now and every `sweepMs`. */
    startSweeping(): void {
      const sweep = async () => {
        try {
          for (const id of await deps.imports.abandoned()) void runInBackground(id);
        } catch (error) {
          deps.logger.warn({ err: error }, 'could not look for abandoned imports');
        }
      };
      void sweep();
      sweeper = setInterval(() => void sweep(), deps.sweepMs ?? 15_000);
      sweeper.unref();
    },

    /** Stops sweeping and waits for the jobs this process runs (their lease lets another process finish them). */
    async stop(): Promise<void> {
      if (sweeper) clearInterval(sweeper);
      await Promise.allSettled([...running.values()]);
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
