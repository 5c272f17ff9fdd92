import mongoose, { type Connection } from 'mongoose';

export type { Connection };

export interface MongoOptions {
  uri: string;
  serverSelectionTimeoutMs: number;
  autoIndex: boolean;
  /** Emit the driver's command events (tests watch them to prove no session or transaction is ever opened). */
  monitorCommands?: boolean;
}

/**
 * One connection per process, created explicitly (never mongoose's global default) so tests and processes can own theirs.
 * Commands are not buffered: while the database is down, calls fail fast instead of queueing in memory.
 */
export async function connectMongo(options: MongoOptions): Promise<Connection> {
  const connection = mongoose.createConnection(options.uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs,
    bufferCommands: false,
    autoIndex: options.autoIndex,
    autoCreate: true,
    monitorCommands: options.monitorCommands ?? false,
  });
  await connection.asPromise();
  return connection;
}

/** Answers within `timeoutMs` whether the database takes a ping. */
export async function pingMongo(connection: Connection, timeoutMs: number): Promise<void> {
  const db = connection.db;
  if (!db || connection.readyState !== mongoose.ConnectionStates.connected) {
    throw new Error(`not connected (state ${mongoose.ConnectionStates[connection.readyState]})`);
  }
  await withTimeout(db.command({ ping: 1 }, { timeoutMS: timeoutMs }), timeoutMs, 'ping');
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
