import { randomUUID } from 'node:crypto';
import { PayoutReceiptSchema, type PayoutInstruction, type PayoutReceipt } from '../../common/partners/messages';
import type { PartnerDirectory } from '../../common/partners/directory';
import { callPartner } from './partner-call';

/** The bank as the current registry names it: each call signs with the keys active when it starts. */
export function createBankAdapter(directory: PartnerDirectory, timeoutMs: number) {
  return {
    /** Sends an instruction. The bank pays an idempotency key at most once; a repeat returns the first receipt. */
    async instruct(instruction: PayoutInstruction): Promise<PayoutReceipt> {
      const { url, secrets } = directory.current().bank;
      const result = await callPartner('bank', {
        url: `${url}/payouts`,
        body: instruction,
        secrets,
        deliveryId: `payout-${instruction.idempotencyKey}`,
        timeoutMs,
      });
      return PayoutReceiptSchema.parse(result.body);
    },
    /** The current status of an instruction, or undefined when the bank never received it. */
    async status(idempotencyKey: string): Promise<PayoutReceipt | undefined> {
      const { url, secrets } = directory.current().bank;
      const result = await callPartner(
        'bank',
        { url: `${url}/payouts/status`, body: { idempotencyKey }, secrets, deliveryId: randomUUID(), timeoutMs },
        (s) => (s >= 200 && s < 300) || s === 404,
      );
      return result.status === 404 ? undefined : PayoutReceiptSchema.parse(result.body);
    },
  };
}
export type BankAdapter = ReturnType<typeof createBankAdapter>;
