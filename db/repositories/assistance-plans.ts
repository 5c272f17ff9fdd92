import type { Connection } from 'mongoose';
import type { AssistanceMeasure } from '../../domain/assistance';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { assistancePlanModel } from '../models/assistance-plan';

export interface PlanRevision {
  version: number;
  at: string;
  by: { userId: string; role: string; name?: string };
  note?: string;
  /** The measures as this save left them: the plan's whole history can be read back. */
  measures: AssistanceMeasure[];
}

export interface AssistancePlan {
  householdId: string;
  divisionCode: string;
  measures: AssistanceMeasure[];
  version: number;
  revisions: PlanRevision[];
  createdAt: string;
  updatedAt: string;
}

export type SaveResult = { status: 'saved'; plan: AssistancePlan } | { status: 'conflict'; currentVersion: number };

interface Doc {
  _id: string;
  divisionCode: string;
  measures: AssistanceMeasure[];
  version: number;
  revisions: (Omit<PlanRevision, 'at'> & { at: Date })[];
  createdAt: Date;
  updatedAt: Date;
}

const KEPT_REVISIONS = 50;

const planOf = (d: Doc): AssistancePlan => ({
  householdId: d._id,
  divisionCode: d.divisionCode,
  measures: d.measures,
  version: d.version,
  revisions: d.revisions.map((r) => ({ ...r, at: r.at.toISOString() })),
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

/** Households' assistance plans (一户一方案): read by household, saved on the version the editor read. */
export function createAssistancePlanRepository(connection: Connection) {
  const model = assistancePlanModel(connection);
  const read = async (householdId: string) => model.findById(householdId).lean<Doc>();

  return {
    async find(householdId: string): Promise<AssistancePlan | null> {
      const doc = await read(householdId);
      return doc ? planOf(doc) : null;
    },

    /**
     * Saves the plan's measures if it is still at `expectedVersion` (0: no plan yet), with a revision naming who and
     * why; another save in between is a conflict (the editor reloads), never a silent overwrite.
     */
    async save(
      plan: { householdId: string; divisionCode: string; measures: AssistanceMeasure[]; expectedVersion: number },
      by: PlanRevision['by'],
      note?: string,
      now = new Date(),
    ): Promise<SaveResult> {
      const { householdId, divisionCode, measures, expectedVersion } = plan;
      const revision = { version: expectedVersion + 1, at: now, by, ...(note ? { note } : {}), measures };
      const conflict = async (): Promise<SaveResult> => ({
        status: 'conflict',
        currentVersion: (await read(householdId))?.version ?? 0,
      });
      if (expectedVersion === 0) {
        const doc: Doc = {
          _id: householdId,
          divisionCode,
          measures,
          version: 1,
          revisions: [revision],
          createdAt: now,
          updatedAt: now,
        };
        try {
          await retryWrite(() => model.create(doc));
        } catch (error) {
          if (isDuplicateKeyError(error)) return conflict();
          throw error;
        }
        return { status: 'saved', plan: planOf(doc) };
      }
      const saved = await retryWrite(() =>
        model
          .findOneAndUpdate(
            { _id: householdId, version: expectedVersion },
            {
              $set: { measures, divisionCode, version: expectedVersion + 1, updatedAt: now },
              $push: { revisions: { $each: [revision], $slice: -KEPT_REVISIONS } },
            },
            { new: true },
          )
          .lean<Doc>(),
      );
      return saved ? { status: 'saved', plan: planOf(saved) } : conflict();
    },
  };
}

export type AssistancePlanRepository = ReturnType<typeof createAssistancePlanRepository>;
