import type { Connection } from 'mongoose';
import { shanghaiDateOf } from '../domain/dates';
import { retryWrite } from './errors';
import { claimModel } from './models/claim';

/** Migrations done, by name: each runs once per database (its lookup is by `_id`). */
const MIGRATIONS = 'schema_migrations';
const BACKFILL = 'claims: stageSince and filedOn';

/**
 * Fills read-model fields added after a claim was last written (`stageSince`, `filedOn`), so the ops views see
 * claims from before the upgrade. Only documents missing a field are touched, and only that field: a workflow
 * writing the full projection at the same time wins. Runs once per database (its search for missing fields reads
 * every claim, so it is recorded as done and never run again); the API runs it at start-up.
 */
export async function backfillClaimReadModel(connection: Connection): Promise<number> {
  const migrations = connection.collection<{ _id: string; at: Date }>(MIGRATIONS);
  if (await migrations.findOne({ _id: BACKFILL })) return 0;
  const claims = claimModel(connection);
  const stale = await claims
    .find(
      { $or: [{ stageSince: { $exists: false } }, { filedOn: { $exists: false } }] },
      { _id: 0, claimNo: 1, filedAt: 1, lastTransitionAt: 1, stageSince: 1, filedOn: 1 },
    )
    .lean();
  for (const claim of stale) {
    if (!claim.stageSince)
      await retryWrite(() =>
        claims.updateOne(
          { claimNo: claim.claimNo, stageSince: { $exists: false } },
          { $set: { stageSince: claim.lastTransitionAt } },
        ),
      );
    if (!claim.filedOn)
      await retryWrite(() =>
        claims.updateOne(
          { claimNo: claim.claimNo, filedOn: { $exists: false } },
          { $set: { filedOn: shanghaiDateOf(new Date(claim.filedAt)) } },
        ),
      );
  }
  await retryWrite(() => migrations.updateOne({ _id: BACKFILL }, { $setOnInsert: { at: new Date() } }, { upsert: true }), {
    upsert: true,
  });
  return stale.length;
}
