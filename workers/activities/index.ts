import type { Connection } from 'mongoose';
import { createCanaryRepository } from '../../db/repositories/canaries';
import { createCanaryActivities } from './canary';

export interface ActivityDeps {
  connection: Connection;
  now?: () => Date;
}

/** All activities, built from their dependencies. Workflows import the *type* of this, never the values. */
export function createActivities({ connection, now = () => new Date() }: ActivityDeps) {
  return {
    ...createCanaryActivities({ canaries: createCanaryRepository(connection), now }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
