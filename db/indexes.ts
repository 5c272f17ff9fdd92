import { disasterEntryModel, disasterEventModel } from './models/disaster';
import { importJobModel } from './models/import-job';
import { referralModel } from './models/referral';
import { sandboxClaimModel } from './models/sandbox-claim';
import type { Connection } from 'mongoose';
import { connectMongo, type MongoOptions } from './connection';
import { activityFailureModel } from './models/activity-failure';
import { assistancePlanModel } from './models/assistance-plan';
import { canaryModel } from './models/canary';
import { claimCounterModel, claimEventModel, claimModel } from './models/claim';
import { claimSnapshotModel } from './models/claim-snapshot';
import { deliveryModel } from './models/delivery';
import { documentChunkModel, documentFileModel } from './models/document';
import { exposureModel } from './models/exposure';
import { feedCursorModel } from './models/feed-cursor';
import { householdModel } from './models/household';
import { idempotencyModel } from './models/idempotency';
import { partnerMessageModel, partnerModel } from './models/partner';
import { userAuditModel, userModel } from './models/user';

/**
 * Creates every collection's indexes before traffic arrives. Unique indexes carry consistency here (see README), so
 * the API and the worker await this at start-up instead of relying on mongoose's lazy background build.
 */
export async function ensureIndexes(connection: Connection): Promise<void> {
  const models = [
    activityFailureModel,
    assistancePlanModel,
    canaryModel,
    claimModel,
    claimCounterModel,
    claimSnapshotModel,
    claimEventModel,
    deliveryModel,
    documentChunkModel,
    documentFileModel,
    exposureModel,
    feedCursorModel,
    householdModel,
    importJobModel,
    disasterEventModel,
    disasterEntryModel,
    idempotencyModel,
    partnerModel,
    partnerMessageModel,
    referralModel,
    sandboxClaimModel,
    userModel,
    userAuditModel,
  ].map((m) => m(connection));
  for (const model of models) await model.init();
}

/** Connects and makes sure every index exists: what a process needs of the database before it serves. */
export async function connectWithIndexes(options: MongoOptions): Promise<Connection> {
  const connection = await connectMongo(options);
  try {
    await ensureIndexes(connection);
    return connection;
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
