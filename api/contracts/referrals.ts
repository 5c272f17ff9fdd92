import { z } from 'zod';
import { HouseholdIdSchema } from '../../domain/household';
import { REFERRAL_KINDS, type ReferralKind } from '../../domain/monitoring';
import { JurisdictionSchema } from '../../domain/value-schemas';

/** `GET /referrals?division=&limit=`: the newest referrals of my jurisdiction (or an area inside it). */
export const ReferralListQuery = z.strictObject({
  division: JurisdictionSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ReferralIdParam = z.strictObject({
  referralId: z.string().regex(/^RF-\d{8}-[0-9a-f]{8}$/, 'a referral id such as RF-20261202-0a1b2c3d'),
});

const Reason = z.string().trim().min(1).max(500);
const MonitoredCategory = z.enum(['monitored_unstable', 'monitored_marginal', 'monitored_sudden_hardship']);

/** `POST /referrals/{id}/actions/{action}`: each step's body. */
export const MonitoringActionBodies = {
  /** 入户核查: the household's signed authorization (an uploaded file, by its SHA-256) and what the visit found. */
  verify: z.strictObject({
    authorizationSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
    findings: Reason,
  }),
  /** 村级评议: include or not (with the monitoring category), and why; starts the public notice. */
  appraise: z.strictObject({ include: z.boolean(), category: MonitoredCategory.optional(), reason: Reason }),
  /** An objection during the notice: who objected and why; back to the village appraisal. */
  object: z.strictObject({ objector: z.string().trim().min(1).max(50), reason: Reason }),
  /** 乡镇初审: approve to the county, or return to the village. */
  review: z.strictObject({ approve: z.boolean(), reason: Reason }),
  /** 县级审定: include (the category from today) or not, and why. */
  decide: z.strictObject({ include: z.boolean(), category: MonitoredCategory.optional(), reason: Reason }),
} as const;
export type MonitoringActionName = keyof typeof MonitoringActionBodies;
/** A risk elimination's appraisal and decision: clear the household of risk or not, and why. */
const EliminationVerdict = z.strictObject({ eliminate: z.boolean(), reason: Reason });

/** The body of a step of a referral of this kind. */
export const monitoringActionBody = (kind: ReferralKind, action: MonitoringActionName) =>
  kind === 'elimination' && (action === 'appraise' || action === 'decide') ? EliminationVerdict : MonitoringActionBodies[action];

/** The bodies as the OpenAPI document gives them: an appraisal or decision is an inclusion's or an elimination's verdict. */
export const MonitoringActionDocBodies = {
  ...MonitoringActionBodies,
  appraise: z.union([MonitoringActionBodies.appraise, EliminationVerdict]),
  decide: z.union([MonitoringActionBodies.decide, EliminationVerdict]),
};

/**
 * `POST /referrals`: a person opens a referral, a clue for inclusion (村级排查、农户申报) or a proposal to clear a
 * monitored household of risk (风险消除), with the reason.
 */
export const OpenReferralBody = z.strictObject({
  kind: z.enum(REFERRAL_KINDS),
  householdId: HouseholdIdSchema,
  reason: Reason,
});

export const MonitoringActionParams = z.strictObject({
  referralId: ReferralIdParam.shape.referralId,
  action: z.enum(Object.keys(MonitoringActionBodies) as [MonitoringActionName, ...MonitoringActionName[]]),
});
