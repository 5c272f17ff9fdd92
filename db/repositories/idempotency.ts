import type { Connection } from 'mongoose';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { idempotencyId, idempotencyModel } from '../models/idempotency';

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; response: unknown }
  | { kind: 'in_progress' }
  /** The key was used with another request (the claim it filed, when it got that far). */
  | { kind: 'mismatch'; claimNo?: string }
  /** The request that held the key died midway (its lease ran out): this one finishes its filing. */
  | { kind: 'resume'; claimNo: string | undefined };

export function createIdempotencyRepository(connection: Connection) {
  const model = idempotencyModel(connection);
  const lease = (ms: number) => new Date(Date.now() + ms);
  return {
    /**
     * Claims the key for this request, or says what happened to the request that claimed it first. A key whose
     * holder's lease ran out is taken over by one retry (a conditional update on the lease it read: racing retries
     * cannot both take it), which then resumes the filing where it stopped.
     */
    async claim(scope: string, key: string, requestHash: string, leaseMs = 30_000): Promise<IdempotencyClaim> {
      const _id = idempotencyId(scope, key);
      try {
        await retryWrite(() => model.create({ _id, scope, key, requestHash, state: 'pending', leaseUntil: lease(leaseMs) }));
        return { kind: 'new' };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await model.findOne({ _id }).lean();
      if (!existing) return { kind: 'in_progress' };
      if (existing.requestHash !== requestHash)
        return { kind: 'mismatch', ...(existing.claimNo ? { claimNo: existing.claimNo } : {}) };
      if (existing.state === 'done') return { kind: 'replay', status: existing.status ?? 200, response: existing.response };
      if (existing.leaseUntil && existing.leaseUntil.getTime() > Date.now()) return { kind: 'in_progress' };
      const taken = await retryWrite(() =>
        model.updateOne(
          { _id, state: 'pending', leaseUntil: existing.leaseUntil ?? null },
          { $set: { leaseUntil: lease(leaseMs) } },
        ),
      );
      return taken.matchedCount === 1 ? { kind: 'resume', claimNo: existing.claimNo ?? undefined } : { kind: 'in_progress' };
    },
    /** Records the claim number the filing got, before anything is started under it. */
    async attach(scope: string, key: string, claimNo: string): Promise<void> {
      await retryWrite(() => model.updateOne({ _id: idempotencyId(scope, key), state: 'pending' }, { $set: { claimNo } }));
    },
    async complete(scope: string, key: string, status: number, response: unknown): Promise<void> {
      await retryWrite(() => model.updateOne({ _id: idempotencyId(scope, key) }, { $set: { state: 'done', status, response } }));
    },
    /**
     * The request failed: its lease ends now, so a retry takes the filing over at once and resumes it (the claim number
     * it may have been given, and a workflow that may have started under it, are found again; nothing is filed twice).
     */
    async yieldLease(scope: string, key: string): Promise<void> {
      await retryWrite(() =>
        model.updateOne({ _id: idempotencyId(scope, key), state: 'pending' }, { $set: { leaseUntil: new Date(0) } }),
      );
    },
  };
}
export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
