import { randomUUID } from 'node:crypto';
import { connectMongo, type Connection } from '../../db/connection';

export function testServers(): { mongodbUri: string; temporalAddress: string } {
  const mongodbUri = process.env.MONGODB_URI;
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!mongodbUri || !temporalAddress) throw new Error('the jest global setup did not resolve the servers');
  return { mongodbUri, temporalAddress };
}

/** A unique name for this test's own database, task queue or business id. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The shared server's URI with another database name. */
export function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The URI of a fresh database of the caller's own on the shared server. */
export function testDatabaseUri(): string {
  return withDatabase(testServers().mongodbUri, uniqueName('t').replace('-', '_'));
}

/** A connection to a fresh database of this test file's own; drop it with `dropTestDatabase`. */
export async function connectTestDatabase(uri = testDatabaseUri(), { monitorCommands = false } = {}): Promise<Connection> {
  return connectMongo({ uri, serverSelectionTimeoutMs: 2_000, autoIndex: true, monitorCommands });
}

const TRANSACTION_FIELDS = ['startTransaction', 'autocommit', 'commitTransaction', 'abortTransaction'];

/**
 * Watches a connection (opened with monitorCommands) for what the database must never be asked for: an explicit
 * session, a transaction, a change stream. Returns what it saw, one line each.
 */
export function watchForSessions(connection: Connection): () => string[] {
  const seen: string[] = [];
  const client = connection.getClient();
  client.on('commandStarted', (event) => {
    const command = event.command as Record<string, unknown>;
    const fields = TRANSACTION_FIELDS.filter((f) => f in command || event.commandName === f);
    if (fields.length > 0) seen.push(`${event.commandName} with ${fields.join(', ')}`);
    const pipeline = (command.pipeline as object[] | undefined) ?? [];
    if (pipeline.some((stage) => '$changeStream' in stage)) seen.push(`${event.commandName} with $changeStream`);
  });
  const startSession = client.startSession.bind(client);
  // the driver's own implicit session for each operation says `explicit: false`; any other is code asking for one
  client.startSession = (options) => {
    if ((options as { explicit?: boolean } | undefined)?.explicit !== false) seen.push('startSession');
    return startSession(options);
  };
  return () => [...seen];
}

export async function dropTestDatabase(connection: Connection): Promise<void> {
  await connection.dropDatabase();
  await connection.close();
}
