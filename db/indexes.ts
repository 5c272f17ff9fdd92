import type { Connection } from 'mongoose';
import { activityFailureModel } from './models/activity-failure';
import { canaryModel } from './models/canary';
import { claimCounterModel, claimEventModel, claimModel } from './models/claim';
import { claimSnapshotModel } from './models/claim-snapshot';
import { deliveryModel } from './models/delivery';
import { exposureModel } from './models/exposure';
import { householdModel } from './models/household';
import { idempotencyModel } from './models/idempotency';

/**
 * Creates every collection's indexes before traffic arrives. Unique indexes carry consistency here (see README), so
 * the API and the worker await this at start-up instead of relying on mongoose's lazy background build.
 */
export async function ensureIndexes(connection: Connection): Promise<void> {
  const models = [
    activityFailureModel,
    canaryModel,
    claimModel,
    claimCounterModel,
    claimSnapshotModel,
    claimEventModel,
    deliveryModel,
    exposureModel,
    householdModel,
    idempotencyModel,
  ].map((m) => m(connection));
  for (const model of models) await model.init();
}
