import { z } from 'zod';
import { JurisdictionSchema } from '../../domain/divisions';

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
export const MonitoringActionParams = z.strictObject({
  referralId: ReferralIdParam.shape.referralId,
  action: z.enum(Object.keys(MonitoringActionBodies) as [MonitoringActionName, ...MonitoringActionName[]]),
});
