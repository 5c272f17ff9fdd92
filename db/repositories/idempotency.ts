import type { Connection } from 'mongoose';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { idempotencyId, idempotencyModel } from '../models/idempotency';

export type IdempotencyClaim =
  { kind: 'new' } | { kind: 'replay'; status: number; response: unknown } | { kind: 'in_progress' } | { kind: 'mismatch' };

export function createIdempotencyRepository(connection: Connection) {
  const model = idempotencyModel(connection);
  return {
    /** Claims the key for this request, or says what happened to the request that claimed it first. */
    async claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
      try {
        await retryWrite(() => model.create({ _id: idempotencyId(scope, key), scope, key, requestHash, state: 'pending' }));
        return { kind: 'new' };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await model.findOne({ _id: idempotencyId(scope, key) }).lean();
      if (!existing) return { kind: 'in_progress' };
      if (existing.requestHash !== requestHash) return { kind: 'mismatch' };
      if (existing.state !== 'done') return { kind: 'in_progress' };
      return { kind: 'replay', status: existing.status ?? 200, response: existing.response };
    },
    async complete(scope: string, key: string, status: number, response: unknown): Promise<void> {
      await retryWrite(() => model.updateOne({ _id: idempotencyId(scope, key) }, { $set: { state: 'done', status, response } }));
    },
    /** Frees the key when the first request failed, so a retry can run. */
    async release(scope: string, key: string): Promise<void> {
      await retryWrite(() => model.deleteOne({ _id: idempotencyId(scope, key), state: 'pending' }));
    },
  };
}
export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
