import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { CAP_KINDS } from '../../domain/exposure';
import { LINES } from '../../domain/codes';

/**
 * The exposure ledger: one document per cap bucket (`_id` = the bucket id of domain/exposure.ts), holding each claim's
 * part. Every change is a read, then a write conditioned on the `rev` it read (optimistic concurrency on one document),
 * so two claims racing for one cap can never both take the same remainder.
 */
const partSchema = new Schema(
  {
    claimNo: { type: String, required: true },
    heldFen: { type: Number, required: true },
    paidFen: { type: Number, required: true },
    approvedFen: { type: Number },
    at: { type: String, required: true },
  },
  { _id: false },
);

const exposureSchema = new Schema(
  {
    _id: { type: String, required: true },
    householdId: { type: String, required: true, index: true },
    memberId: { type: String },
    policyYear: { type: Number, required: true },
    line: { type: String, enum: LINES, required: true },
    insurerId: { type: String, required: true },
    kind: { type: String, enum: CAP_KINDS, required: true },
    limitFen: { type: Number, required: true },
    zh: { type: String, required: true },
    en: { type: String, required: true },
    rev: { type: Number, required: true },
    heldFen: { type: Number, required: true },
    paidFen: { type: Number, required: true },
    parts: { type: [partSchema], default: [] },
  },
  { timestamps: true, collection: 'exposure_buckets', minimize: false },
);

export type ExposureDoc = InferSchemaType<typeof exposureSchema>;
export type ExposureModel = Model<ExposureDoc>;
export const exposureModel = (c: Connection): ExposureModel =>
  (c.models.Exposure as ExposureModel | undefined) ?? c.model('Exposure', exposureSchema);
