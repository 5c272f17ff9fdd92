/** The sandbox's ops API contracts (strict objects: unknown fields are refused). */
import { z } from 'zod';
import { BOUNCE_REASONS } from '../../common/partners/messages';
import { ClaimNoSchema } from '../../domain/claim';
import { FenSchema } from '../../domain/value-schemas';

/** `POST /ops/partners/{partnerId}/sandbox/claims`: one test claim for an insurer's sandbox. */
export const CreateSandboxClaimBody = z.strictObject({
  proposedFen: FenSchema.refine((v) => v > 0, 'must be positive').default(750_000),
  /** Ask the insurer's sandbox for a documents request first (the documents test product). */
  documentsFirst: z.boolean().default(false),
  /** The test card the payout goes to: confirmed, or one that bounces with its reason. */
  card: z.enum(['confirmed', ...BOUNCE_REASONS]).default('confirmed'),
});

export const SandboxClaimParam = z.strictObject({ claimNo: ClaimNoSchema });

export const SandboxClaimsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  days: z.coerce.number().int().min(1).max(90).default(30),
});
