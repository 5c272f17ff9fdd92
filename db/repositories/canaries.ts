import type { Connection } from 'mongoose';
import { retryWrite } from '../errors';
import { canaryModel, type CanaryModel } from '../models/canary';

export interface CanaryRecord {
  canaryId: string;
  status: 'recorded' | 'confirmed';
  confirmedAt: Date | undefined;
}

export function createCanaryRepository(connection: Connection) {
  const model: CanaryModel = canaryModel(connection);
  return {
    /** Idempotent: a repeated call finds the existing document and changes nothing. */
    async record(canaryId: string): Promise<CanaryRecord> {
      const doc = await retryWrite(
        () =>
          model
            .findOneAndUpdate({ canaryId }, { $setOnInsert: { canaryId, status: 'recorded' } }, { upsert: true, new: true })
            .lean(),
        { upsert: true },
      );
      return toRecord(doc);
    },

    /** A guarded transition recorded → confirmed: true the first time, false for every later call. */
    async confirm(canaryId: string, at: Date): Promise<boolean> {
      const updated = await retryWrite(() =>
        model
          .findOneAndUpdate({ canaryId, status: 'recorded' }, { $set: { status: 'confirmed', confirmedAt: at } }, { new: true })
          .lean(),
      );
      return updated !== null;
    },

    async find(canaryId: string): Promise<CanaryRecord | null> {
      const doc = await model.findOne({ canaryId }).lean();
      return doc ? toRecord(doc) : null;
    },
  };
}

export type CanaryRepository = ReturnType<typeof createCanaryRepository>;

function toRecord(doc: { canaryId: string; status: 'recorded' | 'confirmed'; confirmedAt?: Date | null }): CanaryRecord {
  return { canaryId: doc.canaryId, status: doc.status, confirmedAt: doc.confirmedAt ?? undefined };
}
