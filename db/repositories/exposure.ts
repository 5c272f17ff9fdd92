import type { Connection } from 'mongoose';
import { settlePart, totalsOf, type ExposureCap, type ExposurePart } from '../../domain/exposure';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { exposureModel } from '../models/exposure';

/** What one claim asks of the ledger: the held amount it wants on each of its caps, and what the bank confirmed. */
export interface HoldRequest {
  claimNo: string;
  caps: readonly ExposureCap[];
  wantHeldFen: number;
  paidFen: number;
  approvedFen?: number;
}

/** A cap that gave the claim less than it wanted, with the claims that hold the rest. */
export interface CapShortfall {
  bucketId: string;
  zh: string;
  en: string;
  limitFen: number;
  othersFen: number;
  otherClaims: string[];
}

export interface HoldResult {
  /** What the claim now holds on every one of its caps (the least any cap allowed). */
  heldFen: number;
  shortfalls: CapShortfall[];
}

/** A conflicting writer changed the bucket between the read and the write this many times in a row: give up. */
const MAX_CAS_ATTEMPTS = 50;

export function createExposureRepository(connection: Connection) {
  const buckets = exposureModel(connection);

  /**
   * Sets the claim's part of one bucket as `settlePart` computes it from the bucket as read, written only if nobody
   * changed the bucket meanwhile (`rev` guard); a lost race reads again. The first part of a new bucket inserts it
   * (a racing insert is a duplicate key: read again).
   */
  async function settle(cap: ExposureCap, request: Omit<HoldRequest, 'caps'>) {
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      const doc = await buckets.findById(cap.bucketId, { parts: 1, rev: 1 }).lean();
      const parts = (doc?.parts ?? []) as ExposurePart[];
      const part = {
        claimNo: request.claimNo,
        wantHeldFen: request.wantHeldFen,
        paidFen: request.paidFen,
        at: new Date().toISOString(),
        ...(request.approvedFen !== undefined ? { approvedFen: request.approvedFen } : {}),
      };
      const next = settlePart(parts, cap.limitFen, part);
      const result = {
        heldFen: next.heldFen,
        othersFen: next.othersFen,
        others: parts.filter((p) => p.claimNo !== request.claimNo && p.heldFen > 0).map((p) => p.claimNo),
      };
      if (!next.changed) return result;
      const totals = totalsOf(next.parts);
      try {
        if (!doc) {
          const { bucketId, ...meta } = cap;
          await retryWrite(() => buckets.create({ _id: bucketId, ...meta, rev: 1, ...totals, parts: next.parts }));
          return result;
        }
        const written = await retryWrite(() =>
          buckets.updateOne({ _id: cap.bucketId, rev: doc.rev }, { $set: { parts: next.parts, ...totals, rev: doc.rev + 1 } }),
        );
        if (written.matchedCount === 1) return result;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 * attempt)));
    }
    throw new Error(`exposure bucket ${cap.bucketId} kept changing: ${MAX_CAS_ATTEMPTS} attempts lost the race`);
  }

  return {
    /**
     * Holds up to `wantHeldFen` on every cap of a claim, the same amount on each: as much as the tightest cap leaves.
     * Caps are settled in order, each asked for what the ones before allowed; a cap settled before a tighter one is then
     * brought down to the final amount. Idempotent: the claim's parts are set, not added to, so a retry changes nothing.
     */
    async hold({ caps, ...request }: HoldRequest): Promise<HoldResult> {
      let heldFen = request.wantHeldFen;
      const shortfalls: CapShortfall[] = [];
      const settled: { cap: ExposureCap; heldFen: number }[] = [];
      for (const cap of caps) {
        const got = await settle(cap, { ...request, wantHeldFen: heldFen });
        if (got.heldFen < heldFen)
          shortfalls.push({
            bucketId: cap.bucketId,
            zh: cap.zh,
            en: cap.en,
            limitFen: cap.limitFen,
            othersFen: got.othersFen,
            otherClaims: got.others,
          });
        heldFen = Math.min(heldFen, got.heldFen);
        settled.push({ cap, heldFen: got.heldFen });
      }
      for (const s of settled) if (s.heldFen > heldFen) await settle(s.cap, { ...request, wantHeldFen: heldFen });
      return { heldFen, shortfalls };
    },

    /** What the claim holds and has not been paid, on its tightest cap: the most a payout instruction may carry now. */
    async unpaidHeld(claimNo: string, caps: readonly ExposureCap[]): Promise<number> {
      if (caps.length === 0) return Number.MAX_SAFE_INTEGER;
      const docs = await buckets.find({ _id: { $in: caps.map((c) => c.bucketId) } }, { parts: 1 }).lean();
      let room = Number.MAX_SAFE_INTEGER;
      for (const cap of caps) {
        const part = (docs.find((d) => d._id === cap.bucketId)?.parts ?? []).find((p) => p.claimNo === claimNo);
        room = Math.min(room, part ? part.heldFen - part.paidFen : 0);
      }
      return Math.max(0, room);
    },

    /** The buckets of many households (a page of the exposure export), optionally of one policy year. */
    async forHouseholds(householdIds: readonly string[], policyYear?: number) {
      const query: Record<string, unknown> = { householdId: { $in: [...householdIds] } };
      if (policyYear) query.policyYear = policyYear;
      const docs = await buckets.find(query, { parts: 0, __v: 0, createdAt: 0 }).lean();
      return docs.sort(
        (a, b) => a.householdId.localeCompare(b.householdId) || a.policyYear - b.policyYear || a._id.localeCompare(b._id),
      );
    },

    /** Every bucket of a household, oldest policy year first. */
    async forHousehold(householdId: string) {
      const docs = await buckets.find({ householdId }, { __v: 0, createdAt: 0 }).lean();
      return docs.sort((a, b) => a.policyYear - b.policyYear || a._id.localeCompare(b._id));
    },
  };
}

export type ExposureRepository = ReturnType<typeof createExposureRepository>;
