import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * The household as it stood when a claim was filed (`_id` = the claim number), personal numbers encrypted like the
 * household record. A running claim works on this snapshot, so a later edit of the household never breaks it; the
 * edits that matter to it reach it as warnings instead.
 */
const claimSnapshotSchema = new Schema(
  {
    _id: { type: String, required: true },
    householdId: { type: String, required: true },
    householdVersion: { type: Number, required: true },
    takenAt: { type: Date, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'claim_snapshots', minimize: false },
);

export type ClaimSnapshotDoc = InferSchemaType<typeof claimSnapshotSchema>;
export type ClaimSnapshotModel = Model<ClaimSnapshotDoc>;
export const claimSnapshotModel = (c: Connection): ClaimSnapshotModel =>
  (c.models.ClaimSnapshot as ClaimSnapshotModel | undefined) ?? c.model('ClaimSnapshot', claimSnapshotSchema);
