import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { MONITORING_OUTCOMES, REFERRAL_KINDS } from '../../domain/monitoring';

/** A referral's status is its procedure's outcome. */
export const REFERRAL_STATUSES = MONITORING_OUTCOMES;

/**
 * A referral for monitoring review (防返贫监测线索): one household, the early-warning findings that raised it (each once:
 * `key` is the claim and the rule), and what became of it. While undecided it carries `open: true`, and a partial
 * unique index lets a household have only one such referral: a second finding joins it, never a second referral.
 */
const triggerSchema = new Schema(
  {
    key: { type: String, required: true },
    rule: { type: String, required: true },
    claimNo: { type: String, default: null },
    zh: { type: String, required: true },
    en: { type: String, required: true },
    figures: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const referralSchema = new Schema(
  {
    _id: { type: String, required: true },
    householdId: { type: String, required: true },
    divisionCode: { type: String, required: true },
    townshipCode: { type: String, required: true },
    countyCode: { type: String, required: true },
    /** Absent on referrals recorded before risk elimination existed: an inclusion. */
    kind: { type: String, enum: REFERRAL_KINDS },
    status: { type: String, enum: REFERRAL_STATUSES, required: true },
    /** Present (true) while undecided: the partial unique index's key. */
    open: { type: Boolean },
    triggers: { type: [triggerSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'referrals', versionKey: false, minimize: false },
);
referralSchema.index({ householdId: 1 }, { unique: true, partialFilterExpression: { open: true } });
referralSchema.index({ status: 1, createdAt: -1 });
referralSchema.index({ countyCode: 1, createdAt: -1 });
referralSchema.index({ townshipCode: 1, createdAt: -1 });
referralSchema.index({ divisionCode: 1, createdAt: -1 });

export type ReferralDoc = InferSchemaType<typeof referralSchema>;
export type ReferralModel = Model<ReferralDoc>;
export const referralModel = (c: Connection): ReferralModel =>
  (c.models.Referral as ReferralModel | undefined) ?? c.model('Referral', referralSchema);
