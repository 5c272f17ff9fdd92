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
