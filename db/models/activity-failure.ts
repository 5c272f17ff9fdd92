import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * The latest failed attempt of each activity that is still retrying, written by the worker (one per workflow and
 * activity type) and removed when a later attempt succeeds. The ops view confirms each against Temporal's describe.
 */
const activityFailureSchema = new Schema(
  {
    workflowId: { type: String, required: true },
    claimNo: { type: String, default: null },
    activityType: { type: String, required: true },
    attempt: { type: Number, required: true },
    message: { type: String, required: true },
    firstFailedAt: { type: Date, required: true },
    lastFailedAt: { type: Date, required: true },
  },
  { collection: 'activity_failures', versionKey: false },
);
activityFailureSchema.index({ workflowId: 1, activityType: 1 }, { unique: true });
activityFailureSchema.index({ lastFailedAt: -1 });

export type ActivityFailureDoc = InferSchemaType<typeof activityFailureSchema>;
export type ActivityFailureModel = Model<ActivityFailureDoc>;
export const activityFailureModel = (c: Connection): ActivityFailureModel =>
  (c.models.ActivityFailure as ActivityFailureModel | undefined) ?? c.model('ActivityFailure', activityFailureSchema);
