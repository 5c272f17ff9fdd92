/**
 * How long a claim may stay in each stage before it is late, and who is late when it is. Pure: the ops views query
 * with it and explain claims with it.
 */
import type { Line } from './codes';
import type { Stage } from './lifecycle';

export interface SlaPolicy {
  /** Staff review stages (village, township, county, duplicates, returned claims, bounced accounts). */
  reviewMs: number;
  /** Automatic steps (eligibility, the end of the notice timer): longer means the system itself is stuck. */
  systemMs: number;
  /** The bank's confirmation of a payout instruction. */
  payoutMs: number;
  noticeMs: number;
  documentsDueMs: number;
  insurerEscalateAfterMs: Record<Line, number>;
}

/** The stage's allowance in milliseconds, or undefined when the stage has no clock (closed). */
export function stageAllowanceMs(policy: SlaPolicy, stage: Stage, line: Line): number | undefined {
  switch (stage) {
    case 'eligibility':
    case 'needs_attention':
      return policy.systemMs;
    case 'public_notice':
      return policy.noticeMs + policy.systemMs;
    case 'insurer_review':
      return policy.insurerEscalateAfterMs[line];
    case 'documents_requested':
      return policy.documentsDueMs;
    case 'payout':
      return policy.payoutMs;
    case 'held_duplicate':
    case 'returned':
    case 'village_review':
    case 'township_review':
    case 'county_approval':
    case 'county_amount_review':
    case 'payout_bounced':
      return policy.reviewMs;
    case 'closed':
      return undefined;
  }
}

export interface SlaClock {
  allowanceMs: number | null;
  dueAt: string | null;
  breached: boolean;
  /** How long past due (0 when on time). */
  overdueMs: number;
}

export function slaClock(policy: SlaPolicy, claim: { stage: Stage; line: Line; stageSince: string }, now: Date): SlaClock {
  const allowanceMs = stageAllowanceMs(policy, claim.stage, claim.line);
  if (allowanceMs === undefined) return { allowanceMs: null, dueAt: null, breached: false, overdueMs: 0 };
  const due = Date.parse(claim.stageSince) + allowanceMs;
  const overdueMs = Math.max(0, now.getTime() - due);
  return { allowanceMs, dueAt: new Date(due).toISOString(), breached: overdueMs > 0, overdueMs };
}
