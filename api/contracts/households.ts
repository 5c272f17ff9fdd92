import { z } from 'zod';
import { CATEGORIES } from '../../domain/codes';
import { maskSensitiveText } from '../../domain/masking';
import { HouseholdIdSchema, HouseholdSchema, PersonNameSchema, ResidentIdSchema } from '../../domain/household';
import { JurisdictionSchema } from '../../domain/value-schemas';

export const HouseholdIdParam = z.strictObject({ householdId: HouseholdIdSchema });
export const PutHouseholdBody = HouseholdSchema;
/** Why the record changes: required for a change that needs a second person's approval. */
export const PutHouseholdQuery = z.strictObject({
  reason: z.string().trim().min(1).max(500).transform(maskSensitiveText).optional(),
});
export const HouseholdChangeParam = z.strictObject({
  householdId: HouseholdIdSchema,
  changeId: z.string().regex(/^[A-Za-z0-9:_-]{8,120}$/, 'a change id'),
  decision: z.enum(['approve', 'reject']),
});
export const HouseholdDecisionBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).transform(maskSensitiveText).optional(),
});
const searchFields = {
  division: JurisdictionSchema.optional(),
  category: z.enum(CATEGORIES).optional(),
  name: PersonNameSchema.optional(),
  idSuffix: z
    .string()
    .regex(/^\d{3}[\dX]$/, 'the last 4 characters of a resident ID')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: HouseholdIdSchema.optional(),
};
/** `GET /households`: never a full resident ID in a URL (URLs end up in logs, proxies and browser history). */
export const SearchHouseholdsQuery = z.strictObject(searchFields);
/** `POST /households/search`: the same search, and by a full resident ID, which travels in the body only. */
export const SearchHouseholdsBody = z.strictObject({
  ...searchFields,
  limit: z.number().int().min(1).max(100).default(20),
  /** A full resident ID: matched through its keyed hash, never stored or logged in clear. */
  residentId: ResidentIdSchema.optional(),
});
