import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * Households as registered by county staff. The whole validated household (domain/household.ts) is stored under
 * `data` with its personal numbers encrypted; the fields queries filter on are lifted beside it with their indexes.
 */
const householdSchema = new Schema(
  {
    householdId: { type: String, required: true },
    divisionCode: { type: String, required: true },
    currentCategory: { type: String, required: true },
    /** Lifted for search: members' names and the last 4 characters of their resident IDs. */
    memberNames: { type: [String], default: [] },
    idSuffixes: { type: [String], default: [] },
    /** Keyed hashes of the members' resident IDs, for exact lookup without storing them in clear. */
    residentIdHashes: { type: [String], default: [] },
    data: { type: Schema.Types.Mixed, required: true },
    /** Incremented by every applied change: writes are conditioned on the version they read (no lost update). */
    version: { type: Number, default: 0 },
    /**
     * The record's versions, newest last (the last 100): who, when, why, which fields, before and after (masked), and
     * whether the household's open claims were told. Kept in the document so a change and its trace are one atomic write.
     */
    changes: { type: [Schema.Types.Mixed], default: [] },
    /** Changes waiting for a second person's approval, each with the proposed record (personal numbers encrypted). */
    pending: { type: [Schema.Types.Mixed], default: [] },
  },
  { timestamps: true, collection: 'households', minimize: false },
);
householdSchema.index({ householdId: 1 }, { unique: true });
householdSchema.index({ divisionCode: 1, householdId: 1 });
householdSchema.index({ memberNames: 1 });
householdSchema.index({ idSuffixes: 1 });
householdSchema.index({ residentIdHashes: 1 });
/** Applied changes whose open claims are still to be told (a crash between the change and the telling). */
householdSchema.index({ 'changes.notified': 1 });

export type HouseholdDoc = InferSchemaType<typeof householdSchema>;
export type HouseholdModel = Model<HouseholdDoc>;
export const householdModel = (c: Connection): HouseholdModel =>
  (c.models.Household as HouseholdModel | undefined) ?? c.model('Household', householdSchema);
