import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { shanghaiDateOf } from '../../domain/dates';
import type { Trigger } from '../../domain/early-warning';
import type { MonitoringStage, ReferralKind } from '../../domain/monitoring';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { REFERRAL_STATUSES, referralModel } from '../models/referral';
import { scopeFilter } from './scope';

export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export interface ReferralTrigger extends Trigger {
  key: string;
  claimNo: string | null;
  at: string;
}

/** The procedure's progress as its workflow records it. */
export interface ReferralProgress {
  stage: MonitoringStage;
  pendingRole: string | null;
  dueAt: string;
  slaBreached: boolean;
  seq: number;
}

export interface Referral {
  referralId: string;
  kind: ReferralKind;
  householdId: string;
  divisionCode: string;
  status: ReferralStatus;
  triggers: ReferralTrigger[];
  progress?: Omit<ReferralProgress, 'seq'>;
  createdAt: string;
  updatedAt: string;
}

interface Doc {
  _id: string;
  kind?: ReferralKind;
  householdId: string;
  divisionCode: string;
  status: ReferralStatus;
  triggers: (Omit<ReferralTrigger, 'at'> & { at: Date })[];
  stage?: MonitoringStage;
  pendingRole?: string | null;
  dueAt?: Date;
  slaBreached?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const referralOf = (d: Doc): Referral => ({
  referralId: d._id,
  kind: d.kind ?? 'inclusion',
  householdId: d.householdId,
  divisionCode: d.divisionCode,
  status: d.status,
  triggers: d.triggers.map((t) => ({ ...t, at: t.at.toISOString() })),
  ...(d.stage && d.dueAt
    ? {
        progress: {
          stage: d.stage,
          pendingRole: d.pendingRole ?? null,
          dueAt: d.dueAt.toISOString(),
          slaBreached: d.slaBreached === true,
        },
      }
    : {}),
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

/** RF-<Beijing date>-<8 hex>. */
export const newReferralId = (now: Date, hex = randomBytes(4).toString('hex')) =>
  `RF-${shanghaiDateOf(now).replace(/-/g, '')}-${hex}`;

export function createReferralRepository(connection: Connection) {
  const model = referralModel(connection);
  return {
    /**
     * Records a finding on the household's open referral, opening one when it has none. Each finding (its `key`) is
     * recorded once, however often it is raised: an activity retried, two claims of one household at once. Answers
     * the referral and whether this call recorded it.
     */
    async raise(
      household: { householdId: string; divisionCode: string },
      trigger: Trigger & { key: string; claimNo: string | null },
      now = new Date(),
    ): Promise<{ referralId: string; recorded: boolean }> {
      const { householdId, divisionCode } = household;
      for (let attempt = 1; ; attempt++) {
        try {
          const doc = await retryWrite(() =>
            model
              .findOneAndUpdate(
                { householdId, open: true, 'triggers.key': { $ne: trigger.key } },
                {
                  $push: { triggers: { ...trigger, at: now } },
                  $set: { updatedAt: now },
                  $setOnInsert: {
                    _id: newReferralId(now),
                    divisionCode,
                    townshipCode: divisionCode.slice(0, 9),
                    countyCode: divisionCode.slice(0, 6),
                    status: 'open',
                    createdAt: now,
                  },
                },
                { upsert: true, new: true },
              )
              .lean<Doc>(),
          );
          return { referralId: doc._id, recorded: true };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        // the open referral exists: it has this finding already, or a racing raise opened it a moment ago
        const held = await model.findOne({ householdId, open: true, 'triggers.key': trigger.key }, { _id: 1 }).lean<Doc>();
        if (held) return { referralId: held._id, recorded: false };
        if (attempt >= 8) throw new Error(`could not record ${trigger.key} on the referral of ${householdId}`);
      }
    },

    /**
     * Records a referral a person opened (a clue, a risk-elimination proposal) under the id its workflow runs with.
     * Idempotent: a retried call finds its own referral. `superseded` when the household has another open referral.
     */
    async open(
      referral: { referralId: string; kind: ReferralKind; householdId: string; divisionCode: string },
      trigger: Trigger & { key: string },
      now = new Date(),
    ): Promise<{ status: 'opened' } | { status: 'superseded'; openReferralId: string }> {
      const { referralId, kind, householdId, divisionCode } = referral;
      for (let attempt = 1; ; attempt++) {
        try {
          await retryWrite(() =>
            model.create({
              _id: referralId,
              kind,
              householdId,
              divisionCode,
              townshipCode: divisionCode.slice(0, 9),
              countyCode: divisionCode.slice(0, 6),
              status: 'open',
              open: true,
              triggers: [{ ...trigger, claimNo: null, at: now }],
              createdAt: now,
              updatedAt: now,
            }),
          );
          return { status: 'opened' };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        if (await model.exists({ _id: referralId })) return { status: 'opened' };
        const other = await model.findOne({ householdId, open: true }, { _id: 1 }).lean<Doc>();
        if (other) return { status: 'superseded', openReferralId: other._id };
        if (attempt >= 8) throw new Error(`could not open referral ${referralId} of ${householdId}`);
      }
    },

    /** Records where the procedure is (its workflow's projection); an older state never replaces a newer one. */
    async recordProgress(referralId: string, progress: ReferralProgress, now = new Date()): Promise<void> {
      const { seq, dueAt, ...rest } = progress;
      await retryWrite(() =>
        model.updateOne(
          { _id: referralId, $or: [{ progressSeq: { $exists: false } }, { progressSeq: { $lt: seq } }] },
          { $set: { ...rest, dueAt: new Date(dueAt), progressSeq: seq, updatedAt: now } },
        ),
      );
    },

    /** The open referrals of a village whose appraisal is under public notice (the village's notice). */
    async inNotice(village: string, limit = 500): Promise<Referral[]> {
      const docs = await model
        .find({ divisionCode: village, status: 'open', stage: 'public_notice' })
        .sort({ dueAt: 1 })
        .limit(limit)
        .lean<Doc[]>();
      return docs.map(referralOf);
    },

    /** How many referrals of a jurisdiction are open (on the jurisdiction's status-and-deadline index). */
    async countOpen(scope: string): Promise<number> {
      return model.countDocuments({ ...scopeFilter(scope), status: 'open' });
    },

    /** The open referrals of a jurisdiction past their deadline, the most overdue first (ops: late referrals by party). */
    async late(scope: string, at: Date, limit = 200): Promise<Referral[]> {
      const docs = await model
        .find({ ...scopeFilter(scope), status: 'open', dueAt: { $lt: at } })
        .sort({ dueAt: 1 })
        .limit(limit)
        .lean<Doc[]>();
      return docs.map(referralOf);
    },

    /** Records the county's decision: the referral is no longer open (a later finding opens a new one). Idempotent. */
    async close(referralId: string, status: Exclude<ReferralStatus, 'open'>, now = new Date()): Promise<void> {
      await retryWrite(() =>
        model.updateOne({ _id: referralId, open: true }, { $set: { status, updatedAt: now }, $unset: { open: 1 } }),
      );
    },

    async find(referralId: string): Promise<Referral | null> {
      const doc = await model.findById(referralId).lean<Doc>();
      return doc ? referralOf(doc) : null;
    },

    /** The household's open referral, if any. */
    async openFor(householdId: string): Promise<Referral | null> {
      const doc = await model.findOne({ householdId, open: true }).lean<Doc>();
      return doc ? referralOf(doc) : null;
    },

    /** How many referrals are in each status (the metrics' gauge; one indexed count each). */
    async countsByStatus(): Promise<Record<ReferralStatus, number>> {
      const counts = await Promise.all(REFERRAL_STATUSES.map((status) => model.countDocuments({ status })));
      return Object.fromEntries(REFERRAL_STATUSES.map((status, i) => [status, counts[i]!])) as Record<ReferralStatus, number>;
    },

    /** The newest referrals of a jurisdiction (6, 9 or 12 digits). */
    async recent(scope: string, limit = 50): Promise<Referral[]> {
      const docs = await model.find(scopeFilter(scope)).sort({ createdAt: -1 }).limit(limit).lean<Doc[]>();
      return docs.map(referralOf);
    },
  };
}

export type ReferralRepository = ReturnType<typeof createReferralRepository>;
