import type { Connection } from 'mongoose';
import { retryWrite } from '../errors';
import { activityFailureModel } from '../models/activity-failure';

export interface ActivityFailureRecord {
  workflowId: string;
  claimNo: string | null;
  activityType: string;
  attempt: number;
  message: string;
  firstFailedAt: string;
  lastFailedAt: string;
}

/** Activity attempts that failed and have not succeeded since (one writer per workflow and activity at a time). */
export function createActivityFailureRepository(connection: Connection) {
  const failures = activityFailureModel(connection);
  return {
    async record(failure: {
      workflowId: string;
      claimNo: string | null;
      activityType: string;
      attempt: number;
      message: string;
    }) {
      const at = new Date();
      const key = { workflowId: failure.workflowId, activityType: failure.activityType };
      const update = {
        $set: { claimNo: failure.claimNo, attempt: failure.attempt, message: failure.message, lastFailedAt: at },
        $setOnInsert: { firstFailedAt: at },
      };
      await retryWrite(() => failures.updateOne(key, update, { upsert: true }), { upsert: true });
    },

    async clear(workflowId: string, activityType: string): Promise<void> {
      await retryWrite(() => failures.deleteOne({ workflowId, activityType }));
    },

    async recent(limit: number): Promise<ActivityFailureRecord[]> {
      // a range over the whole lastFailedAt index rather than no filter: the index serves it
      const docs = await failures
        .find({ lastFailedAt: { $gt: new Date(0) } }, { _id: 0 })
        .sort({ lastFailedAt: -1 })
        .limit(limit)
        .lean();
      return docs.map((d) => ({
        workflowId: d.workflowId,
        claimNo: d.claimNo ?? null,
        activityType: d.activityType,
        attempt: d.attempt,
        message: d.message,
        firstFailedAt: d.firstFailedAt.toISOString(),
        lastFailedAt: d.lastFailedAt.toISOString(),
      }));
    },
  };
}

export type ActivityFailureRepository = ReturnType<typeof createActivityFailureRepository>;
