import type { Line } from '../../domain/codes';

/** Every duration the claim lifecycle waits on. From configuration (days in production, seconds in tests). */
export interface ClaimTimings {
  /** Public notice period (公示期). */
  noticeMs: number;
  /** Per line: resend the package as a reminder after this long without a decision, and again each time it passes. */
  insurerRemindAfterMs: Record<Line, number>;
  /** Per line: escalate to ops (SLA breached) after this long without a decision. */
  insurerEscalateAfterMs: Record<Line, number>;
  /** How long the county has to supply documents the insurer asked for. */
  documentsDueMs: number;
  /** Ask the bank for the result when its callback has not arrived after this long. */
  payoutCheckAfterMs: number;
  /** Start-to-close timeout of each activity attempt (HTTP calls to partners, database writes). */
  activityTimeoutMs: number;
  /** A referral the claim raised: from clue to the county's decision (default 15 days; its notice lasts noticeMs). */
  monitoringDueMs?: number;
}
