import mongoose from 'mongoose';

/**
 * What the database's errors mean, in one place: duplicate keys (idempotency), transient write conflicts (retry),
 * and a database that is not there (503). Pure functions over the driver's error objects (and its error classes).
 */

type ErrorLike = { name?: unknown; code?: unknown; codeName?: unknown; message?: unknown; writeErrors?: unknown };

const codeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as ErrorLike).code : undefined);

type WriteError = { code?: unknown; errmsg?: unknown; err?: { code?: unknown; errmsg?: unknown } };
/** The per-document errors of a bulk write, as { code, message } each (the driver nests them in `err`). */
function writeErrorsOf(error: unknown): { code: unknown; message: unknown }[] {
  const writeErrors = typeof error === 'object' && error !== null ? (error as ErrorLike).writeErrors : undefined;
  if (!Array.isArray(writeErrors)) return [];
  return writeErrors.map((w: WriteError) => ({ code: w.code ?? w.err?.code, message: w.errmsg ?? w.err?.errmsg }));
}

const messageOf = (error: unknown): string => {
  const message = typeof error === 'object' && error !== null ? (error as ErrorLike).message : undefined;
  return typeof message === 'string' ? message : '';
};
/** FerretDB's InternalError, which carries some of DocumentDB's conflicts as text only. */
const isInternalError = (error: unknown, text: RegExp) => codeOf(error) === 1 && text.test(messageOf(error));

/**
 * MongoDB's duplicate-key error (E11000): the signal unique indexes give for idempotency. FerretDB returns the same
 * code, except when two inserts of one new key race: then DocumentDB's unique index (an exclusion constraint) refuses
 * the loser with InternalError "conflicting key value violates exclusion constraint", which means the same.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  return codeOf(error) === 11000 || isInternalError(error, /conflicting key value violates exclusion constraint/);
}

/** A bulk insert whose every failed document was a duplicate key: everything it carried is stored. */
export function isAllDuplicates(error: unknown): boolean {
  const errors = writeErrorsOf(error);
  return errors.length > 0 && errors.every(isDuplicateKeyError);
}

/**
 * DocumentDB's "deadlock detected" (PostgreSQL's 40P01), which FerretDB v2 returns when writers race on one new
 * unique key: code 16908292 from inserts, InternalError (1) with that text from findAndModify. Nothing was written by
 * the losing statement; running it again is safe.
 */
export const DEADLOCK_DETECTED = 16908292;

export function isDeadlock(error: unknown): boolean {
  return (
    codeOf(error) === DEADLOCK_DETECTED ||
    writeErrorsOf(error).some((w) => w.code === DEADLOCK_DETECTED || isInternalError(w, /deadlock detected/)) ||
    isInternalError(error, /deadlock detected/)
  );
}

const { MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoServerClosedError, MongoTopologyClosedError } =
  mongoose.mongo;
/** The driver's own "cannot reach the server" errors (network errors include a pool cleared after a failure). */
const driverUnavailable = (error: unknown) =>
  error instanceof MongoNetworkError ||
  error instanceof MongoServerSelectionError ||
  error instanceof MongoNotConnectedError ||
  error instanceof MongoServerClosedError ||
  error instanceof MongoTopologyClosedError;
const SOCKET_GONE = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED']);
/** FerretDB's answer while PostgreSQL behind it is down or restarting: InternalError (1) naming the connection. */
const BACKEND_UNAVAILABLE =
  /failed to connect to|dial error|connection refused|the database system is (starting up|shutting down|in recovery)|terminating connection|conn closed|unexpected EOF|broken pipe/i;

/** The database (or the PostgreSQL behind FerretDB) cannot be reached: a 503 for the caller, never a 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as ErrorLike;
  if (driverUnavailable(error)) return true;
  // a socket the server closed, surfacing unwrapped from a write the driver had begun ("This socket has been ended")
  if (typeof code === 'string' && SOCKET_GONE.has(code)) return true;
  return name === 'MongoServerError' && code === 1 && typeof message === 'string' && BACKEND_UNAVAILABLE.test(message);
}

export interface RetryOptions {
  /** Also retry E11000: for upserts, whose racing twin inserted first (MongoDB retries these itself; FerretDB does not). */
  upsert?: boolean;
  attempts?: number;
}

/**
 * Runs one write, retrying what is safe to run again: DocumentDB's deadlock, and for upserts the duplicate key of a
 * racing upsert (the retry finds the document and updates it). Bounded, with jittered backoff; the last error is thrown.
 */
export async function retryWrite<T>(write: () => Promise<T>, { upsert = false, attempts = 8 }: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const transient = isDeadlock(error) || (upsert && isDuplicateKeyError(error));
      if (!transient || attempt >= attempts) throw error;
      const backoffMs = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
    }
  }
}
