import { canaryModel } from '../../db/models/canary';
import { claimModel } from '../../db/models/claim';
import { ensureIndexes } from '../../db/indexes';
import { isDeadlock, isDuplicateKeyError, retryWrite } from '../../db/errors';
import { createCanaryRepository } from '../../db/repositories/canaries';
import { createClaimRepository } from '../../db/repositories/claims';
import { connectTestDatabase, dropTestDatabase, testDatabaseUri, uniqueName, watchForSessions } from '../helpers/servers';
import type { Connection } from '../../db/connection';

/** The two mechanisms every idempotent write in fangpin relies on, proven against the real database server. */
describe('database consistency primitives', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await connectTestDatabase();
    await ensureIndexes(connection);
  });
  afterAll(() => dropTestDatabase(connection));

  test('when the model initialises, then the unique index exists on the server', async () => {
    const indexes = await canaryModel(connection).collection.indexes();
    expect(indexes).toEqual(expect.arrayContaining([expect.objectContaining({ key: { canaryId: 1 }, unique: true })]));
  });

  test('when the same unique key is inserted twice, then the second insert fails with the duplicate-key error', async () => {
    const model = canaryModel(connection);
    const canaryId = uniqueName('dup');
    await model.create({ canaryId });
    const second = model.create({ canaryId });
    await expect(second).rejects.toMatchObject({ code: 11000 });
    await second.catch((error: unknown) => expect(isDuplicateKeyError(error)).toBe(true));
    expect(await model.countDocuments({ canaryId })).toBe(1);
  });

  test('when an error is not a duplicate key, then isDuplicateKeyError says so', () => {
    expect(isDuplicateKeyError(new Error('boom'))).toBe(false);
    expect(isDuplicateKeyError({ code: 11001 })).toBe(false);
    expect(isDuplicateKeyError(undefined)).toBe(false);
  });

  test('when a guarded transition runs twice, then it updates once and refuses the second time', async () => {
    const repo = createCanaryRepository(connection);
    const canaryId = uniqueName('tr');
    await repo.record(canaryId);
    expect(await repo.confirm(canaryId, new Date())).toBe(true);
    expect(await repo.confirm(canaryId, new Date())).toBe(false);
    expect(await repo.find(canaryId)).toMatchObject({ status: 'confirmed' });
  });

  test('when forty writers race to insert the same unique key, then exactly one document is stored, every round', async () => {
    // The pathological case: DocumentDB's unique index is an exclusion constraint, and forty inserts of one new key
    // chain on each other's locks; some losers get "deadlock detected" (retryable: nothing was written), never a
    // second document
    const model = canaryModel(connection);
    for (let round = 0; round < 3; round++) {
      const canaryId = uniqueName('race');
      const results = await Promise.allSettled(Array.from({ length: 40 }, () => model.create({ canaryId })));
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(1);
      expect(
        results.filter((r) => r.status === 'rejected').every((r) => isDuplicateKeyError(r.reason) || isDeadlock(r.reason)),
      ).toBe(true);
      expect(await model.countDocuments({ canaryId })).toBe(1);
    }
  });

  test('when a few writers race to insert one key, then with retryWrite one wins and every other sees the duplicate', async () => {
    const model = canaryModel(connection);
    const winners: number[] = [];
    for (let round = 0; round < 5; round++) {
      const canaryId = uniqueName('few');
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => retryWrite(() => model.create({ canaryId }))));
      winners.push(results.filter((r) => r.status === 'fulfilled').length);
      expect(results.filter((r) => r.status === 'rejected').every((r) => isDuplicateKeyError(r.reason))).toBe(true);
    }
    expect(winners).toEqual([1, 1, 1, 1, 1]);
  });

  test('when forty writers race on one state-conditioned transition, then exactly one wins, every round', async () => {
    const repo = createCanaryRepository(connection);
    const winners: number[] = [];
    for (let round = 0; round < 10; round++) {
      const canaryId = uniqueName('cas');
      await repo.record(canaryId);
      const results = await Promise.all(Array.from({ length: 40 }, () => repo.confirm(canaryId, new Date())));
      winners.push(results.filter(Boolean).length);
    }
    expect(winners).toEqual(Array.from({ length: 10 }, () => 1));
  });

  test('when thirty increments of one counter race, then each gets its own value', async () => {
    const model = canaryModel(connection);
    const canaryId = uniqueName('inc');
    await model.create({ canaryId });
    const values = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const doc = await model.collection.findOneAndUpdate({ canaryId }, { $inc: { n: 1 } }, { returnDocument: 'after' });
        return (doc as { n?: number } | null)?.n;
      }),
    );
    expect([...values].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  test('when a $group has several accumulators and a $facet several branches, then every figure is computed', async () => {
    const model = canaryModel(connection);
    const tag = uniqueName('agg');
    await model.collection.insertMany([
      { canaryId: `${tag}-1`, tag, kind: 'a', fen: 100 },
      { canaryId: `${tag}-2`, tag, kind: 'a', fen: 250 },
      { canaryId: `${tag}-3`, tag, kind: 'b', fen: 40 },
    ]);
    const [result] = await model.collection
      .aggregate<{ byKind: { _id: string; n: number; fen: number; max: number }[]; total: { fen: number }[] }>([
        { $match: { tag } },
        {
          $facet: {
            byKind: [
              { $group: { _id: '$kind', n: { $sum: 1 }, fen: { $sum: '$fen' }, max: { $max: '$fen' } } },
              { $sort: { _id: 1 } },
            ],
            total: [{ $group: { _id: null, fen: { $sum: '$fen' } } }],
          },
        },
      ])
      .toArray();
    expect(result?.byKind).toEqual([
      { _id: 'a', n: 2, fen: 350, max: 250 },
      { _id: 'b', n: 1, fen: 40, max: 40 },
    ]);
    expect(result?.total[0]?.fen).toBe(390);
  });

  test('when forty filings race for the first claim numbers of a day, then every number is distinct and they run 1…40', async () => {
    const repo = createClaimRepository(connection);
    const day = '2026-01-01';
    const seqs = await Promise.all(Array.from({ length: 40 }, () => repo.nextSequence('341324', day)));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  test('when two API processes file at once, then their claim numbers never repeat', async () => {
    const [a, b] = [createClaimRepository(connection), createClaimRepository(connection)];
    const day = '2026-01-02';
    const seqs = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).nextSequence('341324', day)));
    expect(new Set(seqs).size).toBe(40);
    const more = await Promise.all([a.nextSequence('341324', day), b.nextSequence('341324', day)]);
    expect(new Set([...seqs, ...more]).size).toBe(42);
  });

  test('when the day has claims but no counter (a restored database), then numbering continues after the highest', async () => {
    const repo = createClaimRepository(connection);
    await claimModel(connection).collection.insertMany([
      { claimNo: 'FP-20260103-341324-000007' },
      { claimNo: 'FP-20260103-341324-000012' },
      { claimNo: 'FP-20260104-341324-000099' }, // another day
    ]);
    expect(await repo.nextSequence('341324', '2026-01-03')).toBe(13);
    expect(await repo.nextSequence('341324', '2026-01-03')).toBe(14);
  });

  test('when code opens a session or a transaction, then the watch the end-to-end test relies on sees it', async () => {
    const watched = await connectTestDatabase(testDatabaseUri(), { monitorCommands: true });
    try {
      const seen = watchForSessions(watched);
      await canaryModel(watched).create({ canaryId: uniqueName('plain') });
      expect(seen()).toEqual([]);
      const session = await watched.startSession();
      try {
        session.startTransaction();
        await canaryModel(watched).collection.insertOne({ canaryId: uniqueName('txn') }, { session });
        await session.abortTransaction().catch(() => undefined);
      } finally {
        await session.endSession();
      }
      expect(seen()).toEqual(expect.arrayContaining(['startSession', expect.stringMatching(/^insert with .*startTransaction/)]));
    } finally {
      await dropTestDatabase(watched);
    }
  });

  test('when an idempotent upsert repeats, then one document exists and it is unchanged', async () => {
    const repo = createCanaryRepository(connection);
    const canaryId = uniqueName('up');
    const first = await repo.record(canaryId);
    await repo.confirm(canaryId, new Date());
    const again = await repo.record(canaryId);
    expect(first.status).toBe('recorded');
    expect(again.status).toBe('confirmed');
    expect(await canaryModel(connection).countDocuments({ canaryId })).toBe(1);
  });
});
