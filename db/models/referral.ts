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
    /** The procedure as its workflow last recorded it (absent until it first does). */
    stage: { type: String },
    /** Who must act now: village, township, county, or null while the system works or after the decision. */
    pendingRole: { type: String, default: null },
    dueAt: { type: Date },
    slaBreached: { type: Boolean },
    /** The procedure's trail length when recorded: a late write of an older state never replaces a newer one. */
    progressSeq: { type: Number },
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
// late referrals of a jurisdiction (ops): the open ones past their deadline, oldest deadline first
referralSchema.index({ countyCode: 1, status: 1, dueAt: 1 });
referralSchema.index({ townshipCode: 1, status: 1, dueAt: 1 });
referralSchema.index({ divisionCode: 1, status: 1, dueAt: 1 });

export type ReferralDoc = InferSchemaType<typeof referralSchema>;
export type ReferralModel = Model<ReferralDoc>;
export const referralModel = (c: Connection): ReferralModel =>
  (c.models.Referral as ReferralModel | undefined) ?? c.model('Referral', referralSchema);
