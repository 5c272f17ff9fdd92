import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * The partner registry: each insurer, the bank and the data service, `_id` = its partner id (an insurer's id, `bank`,
 * `data-sources`). Seeded from PARTNERS_FILE when a partner is not here yet, then changed only through the ops API.
 * Secrets are stored encrypted (the PII cipher) and never leave the process that signs or verifies with them. Every
 * change is a single conditional update on `version` that also appends its entry to `history`: the change and its
 * audit record are one write, and two operators' changes never interleave.
 */
const keySchema = new Schema(
  {
    keyId: { type: String, required: true },
    secret: { type: String, required: true },
    state: { type: String, enum: ['active', 'retired'], required: true },
    addedAt: { type: Date, required: true },
    addedBy: { type: String, required: true },
    retiredAt: { type: Date, default: null },
    retiredBy: { type: String, default: null },
  },
  { _id: false },
);

const historySchema = new Schema(
  {
    at: { type: Date, required: true },
    action: { type: String, required: true },
    by: { type: String, required: true },
    byRole: { type: String, required: true },
    reason: { type: String, default: null },
    keyId: { type: String, default: null },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
  },
  { _id: false },
);

const partnerSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['insurer', 'bank', 'data-sources'], required: true },
    url: { type: String, required: true },
    sandboxUrl: { type: String, default: null },
    keys: { type: [keySchema], default: [] },
    history: { type: [historySchema], default: [] },
    version: { type: Number, required: true, default: 1 },
  },
  { timestamps: true, collection: 'partners', minimize: false, versionKey: false },
);
partnerSchema.index({ kind: 1 });

export type PartnerDoc = InferSchemaType<typeof partnerSchema>;
export type PartnerModel = Model<PartnerDoc>;
export const partnerModel = (c: Connection): PartnerModel =>
  (c.models.Partner as PartnerModel | undefined) ?? c.model('Partner', partnerSchema);

/**
 * Signed messages partners sent, with the key that verified each (which key a partner signs with, before its old one
 * is retired). Kept 30 days (the API prunes older ones hourly).
 */
const partnerMessageSchema = new Schema(
  {
    partnerId: { type: String, required: true },
    keyId: { type: String, required: true },
    route: { type: String, required: true },
    deliveryId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'partner_messages', versionKey: false },
);
partnerMessageSchema.index({ partnerId: 1, keyId: 1, at: -1 });
partnerMessageSchema.index({ partnerId: 1, at: -1 });
partnerMessageSchema.index({ at: 1 });

export type PartnerMessageDoc = InferSchemaType<typeof partnerMessageSchema>;
export type PartnerMessageModel = Model<PartnerMessageDoc>;
export const partnerMessageModel = (c: Connection): PartnerMessageModel =>
  (c.models.PartnerMessage as PartnerMessageModel | undefined) ?? c.model('PartnerMessage', partnerMessageSchema);
