import type { Connection as MongoConnection } from 'mongoose';
import type { Connection as TemporalConnection } from '@temporalio/client';
import { pingMongo } from '../../db/connection';
import { pingTemporal } from '../../common/temporal';

export type DependencyName = 'mongodb' | 'temporal';

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<DependencyName, DependencyStatus>;
}

export interface ReadinessDeps {
  mongo: MongoConnection;
  temporal: TemporalConnection;
  timeoutMs: number;
}

/** Pings every dependency in parallel, each bounded by the timeout, and says which ones are down. */
export async function checkReadiness({ mongo, temporal, timeoutMs }: ReadinessDeps): Promise<Readiness> {
  const [mongodb, temporalStatus] = await Promise.all([
    probe(() => pingMongo(mongo, timeoutMs)),
    probe(() => pingTemporal(temporal, timeoutMs)),
  ]);
  const checks = { mongodb, temporal: temporalStatus };
  return { ready: mongodb.status === 'up' && temporalStatus.status === 'up', checks };
}

async function probe(ping: () => Promise<void>): Promise<DependencyStatus> {
  const started = performance.now();
  try {
    await ping();
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: message };
  }
}
