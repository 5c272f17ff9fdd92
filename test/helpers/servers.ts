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
export async function connectTestDatabase(uri = testDatabaseUri()): Promise<Connection> {
  return connectMongo({ uri, serverSelectionTimeoutMs: 5_000, autoIndex: true });
}

export async function dropTestDatabase(connection: Connection): Promise<void> {
  await connection.dropDatabase();
  await connection.close();
}
