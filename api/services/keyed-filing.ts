/**
 * Filing a claim under a key, so it survives a crash at any point: the key holds the claim's number before anything
 * starts under it, and a retry after the first attempt died (its lease ran out) finishes that very filing; a retry
 * after it finished answers what it answered. Used by `POST /claims` with an Idempotency-Key and by batch filing.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../common/errors';
import { failpoint } from '../../common/failpoints';
import type { IdempotencyRepository } from '../../db/repositories/idempotency';
import type { ClaimInput } from '../../domain/claim';
import type { Actor } from '../../workflows/claim/types';
import type { ClaimService } from './claims';

export interface FiledAnswer {
  claimNo: string;
  workflowId: string;
  status: 'filed';
  links: { self: string };
}

export const filedAnswer = (filed: { claimNo: string; workflowId: string }): FiledAnswer => ({
  claimNo: filed.claimNo,
  workflowId: filed.workflowId,
  status: 'filed',
  links: { self: `/claims/${filed.claimNo}` },
});

export function createKeyedFiling({
  service,
  idempotency,
  leaseMs = 30_000,
}: {
  service: Pick<ClaimService, 'file' | 'resumeFiling'>;
  idempotency: IdempotencyRepository;
  leaseMs?: number;
}) {
  return {
    /**
     * Files `input` once for (actor, key); the same key with another body is refused. A batch may key its rows in a
     * `scope` of its own (not the person's) and tell a repeated request by `sameAs` (what the row said) instead of
     * the whole input.
     */
    async file(
      input: ClaimInput,
      actor: Actor,
      key: string,
      { scope = `file-claim:${actor.userId}`, sameAs = input }: { scope?: string; sameAs?: unknown } = {},
    ): Promise<{ status: number; body: FiledAnswer; replayed: boolean }> {
      const filingKey = `${scope}:${key}`;
      const hash = createHash('sha256').update(JSON.stringify(sameAs)).digest('hex');
      const claim = await idempotency.claim(scope, key, hash, leaseMs);
      if (claim.kind === 'mismatch')
        throw new AppError(
          'UNPROCESSABLE',
          {
            zh: '此 Idempotency-Key 已用于另一份不同的报案内容。',
            en: 'This Idempotency-Key was used with a different request body.',
          },
          { idempotencyKeyReused: true, ...(claim.claimNo ? { claimNo: claim.claimNo } : {}) },
        );
      if (claim.kind === 'in_progress')
        throw new AppError(
          'CONFLICT',
          {
            zh: '使用此 Idempotency-Key 的请求仍在处理中，请稍后重试。',
            en: 'A request with this Idempotency-Key is still being processed; retry shortly.',
          },
          { retryAfterSeconds: Math.max(1, Math.ceil(leaseMs / 1000)) },
        );
      if (claim.kind === 'replay') return { status: claim.status, body: claim.response as FiledAnswer, replayed: true };
      failpoint('filing:key-claimed');
      const options = { filingKey, onNumber: (claimNo: string) => idempotency.attach(scope, key, claimNo) };
      try {
        const filed =
          claim.kind === 'resume'
            ? await service.resumeFiling(input, actor, claim.claimNo, options)
            : await service.file(input, actor, options);
        failpoint('filing:workflow-started');
        const body = filedAnswer(filed);
        await idempotency.complete(scope, key, 202, body);
        failpoint('filing:key-completed');
        return { status: 202, body, replayed: false };
      } catch (error) {
        await idempotency.yieldLease(scope, key).catch(() => undefined); // a retry resumes at once
        throw error;
      }
    },
  };
}

export type KeyedFiling = ReturnType<typeof createKeyedFiling>;
