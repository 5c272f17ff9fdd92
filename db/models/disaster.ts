import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/** A declared disaster event (灾情): `_id` is its id, DZ-<Beijing date>-<6 hex>. */
const disasterEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    name: { type: String, required: true },
    eventDate: { type: String, required: true },
    villages: { type: [String], required: true },
    lines: { type: [String], required: true },
    declaredBy: { userId: String, role: String, name: String },
    jurisdiction: { type: String, required: true },
    declaredAt: { type: Date, required: true },
  },
  { collection: 'disaster_events', versionKey: false },
);
disasterEventSchema.index({ jurisdiction: 1, declaredAt: -1 });
disasterEventSchema.index({ villages: 1, declaredAt: -1 });

/**
 * One household's loss in an event, and what became of it: `_id` is `<event>:<household>:<line>`, so entering it
 * again replaces it (while it waits) and never makes a second claim. Filed by a batch job under the key
 * `disaster:<_id>`: a filing cut short by a crash is finished, never repeated.
 */
const disasterEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    householdId: { type: String, required: true },
    divisionCode: { type: String, required: true },
    line: { type: String, required: true },
    /** The loss as entered (the LossEntry), and the member it is for. */
    entry: { type: Schema.Types.Mixed, required: true },
    memberId: { type: String, required: true },
    status: { type: String, enum: ['waiting', 'filed', 'refused'], required: true },
    claimNo: { type: String, default: null },
    reason: { type: Schema.Types.Mixed, default: null },
    enteredBy: { userId: String, role: String },
    enteredAt: { type: Date, required: true },
    settledAt: { type: Date, default: null },
  },
  { collection: 'disaster_entries', versionKey: false, minimize: false },
);
disasterEntrySchema.index({ eventId: 1, status: 1, _id: 1 });
disasterEntrySchema.index({ eventId: 1, divisionCode: 1, _id: 1 });

export type DisasterEventDoc = InferSchemaType<typeof disasterEventSchema>;
export type DisasterEventModel = Model<DisasterEventDoc>;
export const disasterEventModel = (c: Connection): DisasterEventModel =>
  (c.models.DisasterEvent as DisasterEventModel | undefined) ?? c.model('DisasterEvent', disasterEventSchema);
export type DisasterEntryDoc = InferSchemaType<typeof disasterEntrySchema>;
export type DisasterEntryModel = Model<DisasterEntryDoc>;
export const disasterEntryModel = (c: Connection): DisasterEntryModel =>
  (c.models.DisasterEntry as DisasterEntryModel | undefined) ?? c.model('DisasterEntry', disasterEntrySchema);
