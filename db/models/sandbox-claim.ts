import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * Test claims of partners' sandboxes (`_id` = the claim number, county code 000000), as their workflow last wrote
 * them; never in the claims collection, so nothing that counts or pays real claims ever sees one.
 */
const sandboxClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    insurerId: { type: String, required: true },
    state: { type: Schema.Types.Mixed, required: true },
    seq: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandbox_claims', minimize: false, versionKey: false },
);
sandboxClaimSchema.index({ createdAt: -1 });

export type SandboxClaimDoc = InferSchemaType<typeof sandboxClaimSchema>;
export type SandboxClaimModel = Model<SandboxClaimDoc>;
export const sandboxClaimModel = (c: Connection): SandboxClaimModel =>
  (c.models.SandboxClaim as SandboxClaimModel | undefined) ?? c.model('SandboxClaim', sandboxClaimSchema);
