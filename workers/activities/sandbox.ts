/**
 * The sandbox's activities: a test package to the insurer's sandbox, a test payout to the bank's sandbox (or none,
 * when it has no sandbox: then nothing leaves fangpin), and the test claim's projection. Only sandbox URLs are ever
 * called here: a test claim cannot reach a live endpoint.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { insurerOf, type PartnerDirectory } from '../../common/partners/directory';
import { PayoutReceiptSchema } from '../../common/partners/messages';
import { testClaimPackage, testPayoutInstruction } from '../../common/partners/sandbox-conventions';
import type { SandboxClaimRepository } from '../../db/repositories/sandbox-claims';
import type { SandboxClaimState } from '../../domain/sandbox';
import { callPartner } from '../adapters/partner-call';

export function createSandboxActivities({
  directory,
  sandboxClaims,
  timeoutMs,
}: {
  directory: PartnerDirectory;
  sandboxClaims: SandboxClaimRepository;
  timeoutMs: number;
}) {
  return {
    async deliverSandboxPackage(input: {
      insurerId: string;
      claimNo: string;
      round: number;
      proposedFen: number;
      productId: string;
    }): Promise<void> {
      const insurer = insurerOf(directory.current(), input.insurerId);
      if (!insurer?.sandboxUrl)
        throw ApplicationFailure.create({
          type: 'ERR_NO_SANDBOX',
          message: `insurer ${input.insurerId} has no sandbox URL`,
          nonRetryable: true,
        });
      const pkg = testClaimPackage({ ...input, proposedPayoutFen: input.proposedFen });
      await callPartner(`insurer ${input.insurerId} sandbox`, {
        url: `${insurer.sandboxUrl}/claims`,
        body: pkg,
        secrets: insurer.secrets,
        deliveryId: `${input.claimNo}:package:${input.round}`,
        timeoutMs,
      });
    },

    /** `simulated` when the bank has no sandbox: no call is made at all. */
    async instructSandboxPayout(input: {
      idempotencyKey: string;
      claimNo: string;
      amountFen: number;
      cardNumber: string;
    }): Promise<{ simulated: boolean; bankRef: string | null }> {
      const bank = directory.current().bank;
      if (!bank.sandboxUrl) return { simulated: true, bankRef: null };
      const result = await callPartner('bank sandbox', {
        url: `${bank.sandboxUrl}/payouts`,
        body: testPayoutInstruction(input),
        secrets: bank.secrets,
        deliveryId: `payout-${input.idempotencyKey}`,
        timeoutMs,
      });
      return { simulated: false, bankRef: PayoutReceiptSchema.parse(result.body).bankRef };
    },

    async recordSandboxClaim(state: SandboxClaimState): Promise<void> {
      await sandboxClaims.record(state);
    },
  };
}
