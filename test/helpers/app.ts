import { buildApp } from '../../api/app';
import { createLogger } from '../../common/logger';
import { createTemporalClient, type TemporalClient } from '../../common/temporal';
import type { Connection } from '../../db/connection';

/** The real Express app over real connections, as server.ts builds it, for supertest. */
export function buildTestApp({ mongo, temporal }: { mongo: Connection; temporal: TemporalClient }) {
  return buildApp({
    logger: createLogger({ level: 'silent' }),
    mongo,
    temporal: temporal.connection,
    bodyLimit: '64kb',
    readinessTimeoutMs: 1_500,
  });
}

export function testTemporalClient(address: string): TemporalClient {
  return createTemporalClient({ address, namespace: 'default' });
}
