/**
 * The claims API's request contracts: one zod schema per endpoint input. Unknown fields are refused everywhere
 * (strict objects), so no `$`-operator or stray key ever reaches MongoDB.
 */
import { z } from 'zod';
import { ClaimDocumentSchema, ClaimInputSchema, ClaimNoSchema, LossSchema } from '../../domain/claim';
import { LINES } from '../../domain/codes';
import { CardNumberSchema, HouseholdIdSchema, PersonNameSchema, ResidentIdSchema } from '../../domain/household';
import { STAGES, STATUSES } from '../../domain/lifecycle';
import { maskSensitiveText } from '../../domain/masking';
import { JurisdictionSchema, LocalDateSchema } from '../../domain/value-schemas';

export const FileClaimBody = ClaimInputSchema;
export const PreviewClaimBody = ClaimInputSchema;
export const ClaimNoParam = z.strictObject({ claimNo: ClaimNoSchema });
/**
 * `include=live` adds the workflow's own state (loss details, the assessment with its explanation, objections,
 * installments, masked accounts): a workflow query, dearer than the read model the rest comes from.
 */
export const GetClaimQuery = z.strictObject({ include: z.enum(['live']).optional() });

export const ListClaimsQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  status: z.enum(STATUSES).optional(),
  line: z.enum(LINES).optional(),
  division: JurisdictionSchema.optional(),
  insurer: z
    .string()
    .regex(/^[a-z0-9-]{2,40}$/)
    .optional(),
  eventFrom: LocalDateSchema.optional(),
  eventTo: LocalDateSchema.optional(),
  slaBreached: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,30}$/, 'letters, digits and dashes of a claim number')
    .optional(),
  /** One household's claims (the household page). */
  household: HouseholdIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/)
    .optional(),
});

/** The list's filters without its paging: what an export takes. */
export const ExportClaimsQuery = ListClaimsQuery.omit({ limit: true, cursor: true });
export type ClaimsFilterQuery = z.infer<typeof ExportClaimsQuery>;

/** Reasons are free text: personal numbers typed into them are masked on the way in (stored and shown masked). */
const reason = z.string().trim().min(1, 'a reason is required').max(500).transform(maskSensitiveText);
const optionalReason = z.string().trim().max(500).transform(maskSensitiveText).optional();

/** The body of each action, by the action named in the path. */
export const ActionBodies = {
  review: z.strictObject({ reason: optionalReason }),
  approve: z.strictObject({ reason: optionalReason }),
  reject: z.strictObject({ reason }),
  return: z.strictObject({ reason, to: z.enum(['returned', 'village_review', 'township_review']).optional() }),
  object: z.strictObject({ objectorName: PersonNameSchema, reason, evidence: z.array(ClaimDocumentSchema).max(20).optional() }),
  withdraw: z.strictObject({ reason }),
  resubmit: z.strictObject({
    reason: optionalReason,
    changes: z
      .strictObject({
        eventDate: LocalDateSchema.optional(),
        reportDate: LocalDateSchema.optional(),
        loss: LossSchema.optional(),
        documents: z.array(ClaimDocumentSchema).max(50).optional(),
      })
      .refine((c) => Object.keys(c).length > 0, 'change at least one field'),
  }),
  supplyDocuments: z.strictObject({ reason: optionalReason, documents: z.array(ClaimDocumentSchema).min(1).max(50) }),
  correctAccount: z.strictObject({
    reason,
    account: z.strictObject({ cardNumber: CardNumberSchema, holderName: PersonNameSchema, holderResidentId: ResidentIdSchema }),
  }),
  approveAccount: z.strictObject({ reason: optionalReason }),
} as const;
export type ActionName = keyof typeof ActionBodies;
export const ActionParam = z.strictObject({
  claimNo: ClaimNoSchema,
  action: z.enum(Object.keys(ActionBodies) as [ActionName, ...ActionName[]]),
});

export const AppealBody = z.strictObject({
  reason,
  documents: z.array(ClaimDocumentSchema).min(1, 'an appeal brings new documents').max(50),
});
