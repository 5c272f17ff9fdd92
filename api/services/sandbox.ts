/**
 * Partners' sandboxes: ops create test claims for an insurer whose registry entry has a sandbox URL; each runs as its
 * own workflow (workflows/sandbox), numbered under county 000000, and the partner's callbacks for it come through
 * the same signed endpoints as live ones. Nothing here touches a real claim, the exposure ledger or a real payout.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { AppError } from '../../common/errors';
import { insurerOf, type PartnerDirectory } from '../../common/partners/directory';
import type { InsurerDecision, PayoutResult } from '../../common/partners/messages';
import { DOCUMENTS_TEST_PRODUCT, TEST_CARDS, TEST_PRODUCT } from '../../common/partners/sandbox-conventions';
import type { ClaimRepository } from '../../db/repositories/claims';
import type { SandboxClaimRepository } from '../../db/repositories/sandbox-claims';
import { formatClaimNo } from '../../domain/claim';
import { shanghaiDateOf } from '../../domain/dates';
import { SANDBOX_COUNTY, SANDBOX_LABEL, type SandboxClaimState } from '../../domain/sandbox';
import {
  sandboxClaimWorkflow,
  sandboxDecisionUpdate,
  sandboxPayoutResultUpdate,
  sandboxStateQuery,
  sandboxWorkflowId,
  type SandboxAck,
} from '../../workflows/sandbox/workflow';
import { claimNotFound } from '../problems';

export interface SandboxServiceOptions {
  client: Client;
  taskQueue: string;
  directory: PartnerDirectory;
  claims: ClaimRepository;
  sandboxClaims: SandboxClaimRepository;
  /** How long a test claim waits for the insurer's decision and the bank's result before it expires. */
  waitMs?: number;
}

const marked = (state: SandboxClaimState) => ({ ...state, sandbox: true, label: SANDBOX_LABEL });

export function createSandboxService({
  client,
  taskQueue,
  directory,
  claims,
  sandboxClaims,
  waitMs = 7 * 86_400_000,
}: SandboxServiceOptions) {
  const handle = (claimNo: string) => client.workflow.getHandle(sandboxWorkflowId(claimNo));

  /** A message for a closed (or finished) test claim: a repeat of one applied is a duplicate, anything else stale. */
  async function afterClose(claimNo: string, error: unknown, key: string): Promise<SandboxAck> {
    if (!(error instanceof WorkflowNotFoundError || error instanceof WorkflowUpdateFailedError)) throw error;
    const state = await sandboxClaims.find(claimNo);
    if (!state) throw claimNotFound(claimNo);
    return { outcome: state.seen.includes(key) ? 'duplicate' : 'stale', stage: state.stage };
  }

  return {
    async create(
      insurerId: string,
      body: { proposedFen: number; documentsFirst: boolean; card: keyof typeof TEST_CARDS },
      actor: { userId: string },
    ) {
      const insurer = insurerOf(directory.current(), insurerId);
      if (!insurer) throw new AppError('NOT_FOUND', { zh: `没有保险公司 ${insurerId}。`, en: `No insurer ${insurerId}.` });
      if (!insurer.sandboxUrl)
        throw new AppError('UNPROCESSABLE', {
          zh: `保险公司 ${insurerId} 未设置沙箱地址（sandboxUrl），测试案件无处可送。`,
          en: `Insurer ${insurerId} has no sandbox URL: a test claim has nowhere to go.`,
        });
      const day = shanghaiDateOf(new Date());
      const claimNo = formatClaimNo(day, SANDBOX_COUNTY, await claims.nextSequence(SANDBOX_COUNTY, day));
      const createdAt = new Date().toISOString();
      await client.workflow.start(sandboxClaimWorkflow, {
        workflowId: sandboxWorkflowId(claimNo),
        taskQueue,
        args: [
          {
            claimNo,
            insurerId,
            proposedFen: body.proposedFen,
            productId: body.documentsFirst ? DOCUMENTS_TEST_PRODUCT : TEST_PRODUCT,
            cardNumber: TEST_CARDS[body.card],
            createdBy: actor.userId,
            createdAt,
            waitMs,
          },
        ],
      });
      return { claimNo, insurerId, sandbox: true, label: SANDBOX_LABEL, links: { self: `/ops/sandbox/claims/${claimNo}` } };
    },

    async get(claimNo: string) {
      try {
        return marked(await handle(claimNo).query(sandboxStateQuery));
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      const stored = await sandboxClaims.find(claimNo);
      if (!stored) throw claimNotFound(claimNo);
      return marked(stored);
    },

    async list({ days, limit }: { days: number; limit: number }) {
      const items = await sandboxClaims.recent(new Date(Date.now() - days * 86_400_000), limit);
      return items.map(marked);
    },

    /** An insurer's decision for a test claim (the insurer's identity was checked by the caller). */
    async decision(decision: InsurerDecision): Promise<SandboxAck> {
      const stored = await sandboxClaims.find(decision.claimNo);
      if (!stored || stored.insurerId !== decision.insurerId)
        throw new AppError('NOT_FOUND', {
          zh: `没有分配给保险公司 ${decision.insurerId} 的理赔案件 ${decision.claimNo}。`,
          en: `No claim ${decision.claimNo} assigned to insurer ${decision.insurerId}.`,
        });
      try {
        return await handle(decision.claimNo).executeUpdate(sandboxDecisionUpdate, { args: [decision] });
      } catch (error) {
        return afterClose(decision.claimNo, error, decision.decisionId);
      }
    },

    async payoutResult(result: PayoutResult): Promise<SandboxAck> {
      if (!(await sandboxClaims.find(result.claimNo))) throw claimNotFound(result.claimNo);
      try {
        return await handle(result.claimNo).executeUpdate(sandboxPayoutResultUpdate, { args: [result] });
      } catch (error) {
        return afterClose(result.claimNo, error, `${result.idempotencyKey}:${result.status}`);
      }
    },
  };
}

export type SandboxService = ReturnType<typeof createSandboxService>;
