/** The partner registry's ops API contracts (strict objects: unknown fields are refused). */
import { z } from 'zod';
import { maskSensitiveText } from '../../domain/masking';

export const PartnerIdParam = z.strictObject({ partnerId: z.string().regex(/^[a-z0-9-]{2,40}$/, 'a partner id') });
export const PartnerKeyParam = PartnerIdParam.extend({
  keyId: z.string().regex(/^k_[0-9a-f]{10}$/, 'a key id (k_ and 10 hex digits)'),
});

const reason = z.string().trim().min(1, 'a reason is required').max(500).transform(maskSensitiveText);

/** `POST /ops/partners/{partnerId}/keys`: the partner's next key; without `secret` the service makes one. */
export const AddPartnerKeyBody = z.strictObject({
  reason,
  secret: z.string().min(32, 'secrets must be at least 32 characters').max(200).optional(),
});

/** `POST /ops/partners/{partnerId}/keys/{keyId}/retire`. */
export const RetirePartnerKeyBody = z.strictObject({
  reason,
  /** Retire even though the key verified a message within the last minutes (the partner has not switched yet). */
  force: z.boolean().default(false),
});

/** `PATCH /ops/partners/{partnerId}`: the partner's URL and its sandbox's (null: no sandbox), on the version read. */
export const UpdatePartnerBody = z
  .strictObject({
    expectedVersion: z.number().int().min(1),
    reason,
    url: z.url({ protocol: /^https?$/ }).optional(),
    sandboxUrl: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .optional(),
  })
  .refine((b) => b.url !== undefined || b.sandboxUrl !== undefined, {
    message: 'give url, sandboxUrl or both',
    path: ['url'],
  });

export const PartnerMessagesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Hours back (default a day, at most the 30 days kept). */
  hours: z.coerce.number().int().min(1).max(720).default(24),
});
