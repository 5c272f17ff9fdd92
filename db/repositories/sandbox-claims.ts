import type { Connection } from 'mongoose';
import type { SandboxClaimState } from '../../domain/sandbox';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { sandboxClaimModel } from '../models/sandbox-claim';

/** The sandbox's test claims, as their workflows project them. */
export function createSandboxClaimRepository(connection: Connection) {
  const model = sandboxClaimModel(connection);
  return {
    /** Writes the state unless a newer one (a higher `seq`) is there already: a retried old write changes nothing. */
    async record(state: SandboxClaimState): Promise<void> {
      try {
        await retryWrite(() =>
          model.updateOne(
            { _id: state.claimNo, seq: { $lt: state.seq } },
            {
              $set: { state, seq: state.seq },
              $setOnInsert: { insurerId: state.insurerId, createdAt: new Date(state.createdAt) },
            },
            { upsert: true },
          ),
        );
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error; // a newer state is stored: the upsert found no older one to replace
      }
    },

    async find(claimNo: string): Promise<SandboxClaimState | undefined> {
      return (await model.findById(claimNo, { state: 1 }).lean<{ state: SandboxClaimState }>())?.state;
    },

    /** Test claims created since `since`, newest first. */
    async recent(since: Date, limit: number): Promise<SandboxClaimState[]> {
      const docs = await model
        .find({ createdAt: { $gte: since } }, { state: 1 })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<{ state: SandboxClaimState }[]>();
      return docs.map((d) => d.state);
    },
  };
}
export type SandboxClaimRepository = ReturnType<typeof createSandboxClaimRepository>;
