import mongoose from 'mongoose';
import { isAllDuplicates, isDatabaseUnavailable, isDeadlock, isDuplicateKeyError, retryWrite } from '../../db/errors';

const serverError = (code: number, message: string) => Object.assign(new Error(message), { name: 'MongoServerError', code });

/** The shapes FerretDB v2 on DocumentDB and the driver were seen to answer with (see README, "What the database guarantees"). */
describe('what the database errors mean', () => {
  test('when DocumentDB refuses a racing insert, then both of its answers count as a duplicate key', () => {
    expect(isDuplicateKeyError(serverError(11000, 'Duplicate key violation on the requested collection'))).toBe(true);
    expect(
      isDuplicateKeyError(serverError(1, 'conflicting key value violates exclusion constraint "documents_rum_index_13"')),
    ).toBe(true);
    expect(isDuplicateKeyError(serverError(1, 'something else'))).toBe(false);
    expect(
      isAllDuplicates({
        writeErrors: [{ code: 11000 }, { err: { code: 1, errmsg: 'conflicting key value violates exclusion constraint' } }],
      }),
    ).toBe(true);
    expect(isAllDuplicates({ writeErrors: [{ code: 11000 }, { code: 2 }] })).toBe(false);
  });

  test('when writers deadlock, then the insert code, the findAndModify text and a bulk write error all say so', () => {
    expect(isDeadlock(serverError(16908292, 'deadlock detected'))).toBe(true);
    expect(isDeadlock(serverError(1, 'deadlock detected'))).toBe(true);
    expect(isDeadlock({ writeErrors: [{ code: 11000 }, { code: 16908292 }] })).toBe(true);
    expect(isDeadlock(serverError(11000, 'duplicate'))).toBe(false);
  });

  test('when PostgreSQL or FerretDB is gone, then the error is "unavailable", and other errors are not', () => {
    expect(isDatabaseUnavailable(serverError(1, 'failed to connect to `user=postgres database=ferretdb`: dial error'))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(serverError(1, 'terminating connection due to unexpected postmaster exit'))).toBe(true);
    expect(
      isDatabaseUnavailable(Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' })),
    ).toBe(true);
    expect(isDatabaseUnavailable(new mongoose.mongo.MongoNetworkError('connection 1 to 127.0.0.1:1 closed'))).toBe(true);
    expect(isDatabaseUnavailable(serverError(1, 'deadlock detected'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
  });

  test('when a write deadlocks twice, then retryWrite runs it again and returns its result; other errors pass at once', async () => {
    let calls = 0;
    const flaky = () => (++calls < 3 ? Promise.reject(serverError(16908292, 'deadlock detected')) : Promise.resolve('done'));
    await expect(retryWrite(flaky)).resolves.toBe('done');
    expect(calls).toBe(3);
    let other = 0;
    await expect(retryWrite(() => (++other, Promise.reject(serverError(2, 'bad value'))))).rejects.toMatchObject({ code: 2 });
    expect(other).toBe(1);
    let dup = 0;
    await expect(
      retryWrite(() => (++dup, Promise.reject(serverError(11000, 'dup'))), { upsert: true, attempts: 3 }),
    ).rejects.toMatchObject({ code: 11000 });
    expect(dup).toBe(3);
  });
});
