import { resolveServers, type ResolvedServers } from '../../scripts/stack/resolve';

declare global {
  var __fangpinServers: ResolvedServers | undefined;
}

/**
 * Resolves the real servers once per test run (env → testcontainers → local binaries) and hands their addresses
 * to the test files through the environment. Each test file then uses its own database and task queue.
 */
export default async function globalSetup(): Promise<void> {
  const servers = await resolveServers({ name: `test-${process.pid}` });
  process.env.MONGODB_URI = servers.mongodbUri;
  process.env.TEMPORAL_ADDRESS = servers.temporalAddress;
  globalThis.__fangpinServers = servers;
  console.log(`\n[test stack] mongodb via ${servers.providers.mongodb}, temporal via ${servers.providers.temporal}`);
}
