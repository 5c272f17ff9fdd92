import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * A canary is a self-test an operator (or a test) runs through the whole worker path: workflow → activity → database.
 * `canaryId` is unique, so recording is idempotent; confirming is a guarded state transition.
 */
export const CANARY_STATUSES = ['recorded', 'confirmed'] as const;

const canarySchema = new Schema(
  {
    canaryId: { type: String, required: true },
    status: { type: String, enum: CANARY_STATUSES, required: true, default: 'recorded' },
    confirmedAt: { type: Date },
  },
  { timestamps: true, collection: 'canaries' },
);
canarySchema.index({ canaryId: 1 }, { unique: true });

export type Canary = InferSchemaType<typeof canarySchema>;
export type CanaryModel = Model<Canary>;

export function canaryModel(connection: Connection): CanaryModel {
  return (connection.models.Canary as CanaryModel | undefined) ?? connection.model('Canary', canarySchema);
}
