/**
 * Test claims of a partner's sandbox: numbered under the county code 000000, which names no county, so a test claim
 * can never be taken for a real one; they live in their own collection and workflow, never in the claims, the
 * exposure ledger, the statistics or the exports, and their payouts go to the bank's sandbox or nowhere.
 */
export const SANDBOX_COUNTY = '000000';

export const isSandboxClaimNo = (claimNo: string): boolean => claimNo.split('-')[2] === SANDBOX_COUNTY;

export const SANDBOX_LABEL = { zh: '测试案件（沙箱，不付款）', en: 'test claim (sandbox, never paid)' } as const;

export type SandboxStage = 'delivering' | 'with_insurer' | 'payout' | 'closed';
export type SandboxStatus = 'open' | 'paid' | 'bounced' | 'rejected' | 'expired' | 'refused';

export interface SandboxEvent {
  at: string;
  code: string;
  zh: string;
  en: string;
}

export interface SandboxPayout {
  idempotencyKey: string;
  amountFen: number;
  cardNumber: string;
  /** True when the bank has no sandbox: nothing was sent anywhere, the result is fangpin's own. */
  simulated: boolean;
  bankRef: string | null;
  status: 'instructed' | 'confirmed' | 'bounced';
  reason: string | null;
}

export interface SandboxClaimState {
  claimNo: string;
  insurerId: string;
  stage: SandboxStage;
  status: SandboxStatus;
  round: number;
  proposedFen: number;
  productId: string;
  approvedFen: number | null;
  payout: SandboxPayout | null;
  /** Decision ids and payout keys already applied (a repeat is a duplicate). */
  seen: string[];
  trail: SandboxEvent[];
  createdBy: string;
  createdAt: string;
  /** Counts the workflow's projections: a late write of an older state never replaces a newer one. */
  seq: number;
}
