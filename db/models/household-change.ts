import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * The trace of every change to a household record: who, when, why, which fields, and the record before and after
 * with personal numbers masked. `_id` is the change's own key (a retried write of the same change is a duplicate).
 */
const householdChangeSchema = new Schema(
  {
    _id: { type: String, required: true },
    householdId: { type: String, required: true },
    at: { type: Date, required: true },
    by: { userId: { type: String, required: true }, role: { type: String, required: true } },
    approvedBy: { type: String },
    reason: { type: String },
    /** Where the change came from: the household API, or a claim's approved account correction. */
    source: { kind: { type: String, required: true }, claimNo: { type: String } },
    fields: { type: [String], default: [] },
    before: { type: Schema.Types.Mixed },
    after: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'household_changes', minimize: false },
);
householdChangeSchema.index({ householdId: 1, at: -1 });

export type HouseholdChangeDoc = InferSchemaType<typeof householdChangeSchema>;
export type HouseholdChangeModel = Model<HouseholdChangeDoc>;
export const householdChangeModel = (c: Connection): HouseholdChangeModel =>
  (c.models.HouseholdChange as HouseholdChangeModel | undefined) ?? c.model('HouseholdChange', householdChangeSchema);
