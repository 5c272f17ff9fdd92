import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * A household's assistance plan (一户一方案), one document per household (`_id` is the household number): its current
 * measures, a version every save is conditioned on (no lost update between two cadres), and its revisions, newest
 * last (the last 50): who saved what, when and why, in the same atomic write as the change.
 */
const assistancePlanSchema = new Schema(
  {
    _id: { type: String, required: true },
    divisionCode: { type: String, required: true },
    measures: { type: [Schema.Types.Mixed], default: [] },
    version: { type: Number, required: true },
    revisions: { type: [Schema.Types.Mixed], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'assistance_plans', minimize: false, versionKey: false },
);

export type AssistancePlanDoc = InferSchemaType<typeof assistancePlanSchema>;
export type AssistancePlanModel = Model<AssistancePlanDoc>;
export const assistancePlanModel = (c: Connection): AssistancePlanModel =>
  (c.models.AssistancePlan as AssistancePlanModel | undefined) ?? c.model('AssistancePlan', assistancePlanSchema);
