/** The ops API's request contracts (strict objects: unknown fields are refused). */
import { z } from 'zod';
import { ClaimNoSchema } from '../../domain/claim';
import { maskSensitiveText } from '../../domain/masking';
import { OPS_ACTIONS } from '../../workflows/claim/machine';
import { JurisdictionSchema } from '../../domain/value-schemas';

export const OpsScopeQuery = z.strictObject({ division: JurisdictionSchema.optional() });

export const OpsListQuery = z.strictObject({
  division: JurisdictionSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The late list's export: up to 200 rows, as the list. */
export const OpsLateExportQuery = z.strictObject({
  division: JurisdictionSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(200),
});

/** `GET /queue`: the caller's own queue (its role and jurisdiction come from the token). */
export const QueueQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const reason = z.string().trim().min(1, 'a reason is required').max(500).transform(maskSensitiveText);

/** The body of each operator action, by the action named in the path. */
export const OpsActionBodies = {
  resendToInsurer: z.strictObject({ reason }),
  renotifyBank: z.strictObject({ reason }),
  /** Back to the stage the claim was in when it needed attention, once the cause is dealt with. */
  resume: z.strictObject({ reason }),
  reassign: z.strictObject({
    reason,
    assignee: z.strictObject({
      userId: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a staff user id'),
      name: z.string().trim().min(1).max(40).optional(),
    }),
  }),
} satisfies Record<(typeof OPS_ACTIONS)[number], z.ZodType>;

export const OpsActionParam = z.strictObject({ claimNo: ClaimNoSchema, action: z.enum(OPS_ACTIONS) });
