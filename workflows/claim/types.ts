/**
 * The claim lifecycle's vocabulary: stages (stable names for the API, dashboards and search attributes), actors,
 * and the state the workflow keeps and answers queries with.
 */
import type { ExplanationLine, Fact } from '../../domain/calculator';
import type { ClaimDocument, ClaimInput } from '../../domain/claim';
import type { Category, DocumentKind, Line } from '../../domain/codes';
import type { ExposureCap } from '../../domain/exposure';
import type { Reason } from '../../domain/eligibility';
import type { ClaimFingerprint } from '../../domain/fingerprint';

import { STAFF_ROLES, STAGES, STATUSES, type Party, type Stage, type StaffRole, type Status } from '../../domain/lifecycle';

export { STAFF_ROLES, STAGES, STATUSES, type Stage, type StaffRole, type Status };

export interface Actor {
  userId: string;
  role: StaffRole;
  /** Division code prefix the user may act in (6 county, 9 township, 12 village digits). */
  jurisdiction: string;
  name?: string;
}

/** Who acts when it is not a person. */
export const SYSTEM_ACTOR = { userId: 'system', role: 'system' } as const;

export interface PayoutAccountRef {
  cardNumber: string;
  holderName: string;
  holderResidentId: string;
}

export interface Proposal {
  policyYear: number;
  productId: string;
  insurerId: string;
  category: Category;
  payableFen: number;
  lines: ExplanationLine[];
  facts: Fact[];
  /** Cross-check findings for reviewers (not reasons to reject by themselves). */
  warnings: { code: string; zh: string; en: string }[];
  /** The exposure-ledger caps the claim draws on (absent on claims assessed before the ledger). */
  caps?: ExposureCap[];
  /** Required documents the claim lacked when it was assessed (it was returned for them). */
  missingDocuments?: DocumentKind[];
}

/** The claim's hold on the exposure ledger, from county approval on. */
export interface ExposureHold {
  caps: ExposureCap[];
  /** What the county approved (the proposal before the ledger's caps). */
  countyApprovedFen: number;
  /** What the claim holds on every cap: the ceiling of any insurer decision and any payout. */
  heldFen: number;
  /** What the ledger was last told, to write only changes. */
  synced: { heldFen: number; paidFen: number; approvedFen: number };
}

/** An insurer decision above what the claim holds: not applied, waiting for the county. */
export interface AmountReview {
  decisionId: string;
  outcome: 'approved_full' | 'approved_partial';
  insurerFen: number;
  final: boolean;
  reason?: string;
  decidedAt: string;
  /** What the claim held when the decision came (the county's approval within the caps). */
  heldFen: number;
  countyApprovedFen: number;
  /** The county accepted the insurer's amount, up to what the caps allow: the workflow is applying it. */
  accepted?: { by: string; at: string };
}

/** Why the claim cannot go on by itself; an operator looks, then resumes it. */
export interface Attention {
  code: string;
  zh: string;
  en: string;
  fromStage: Stage;
  at: string;
}

export interface Objection {
  objectionId: string;
  lodgedBy: Actor;
  objectorName: string;
  reason: string;
  evidence: ClaimDocument[];
  at: string;
  /** The public notice (its round) the objection was raised against. */
  noticeRound?: number;
  resolution?: 'dismissed' | 'upheld' | 'returned';
}

export interface Installment {
  installment: number;
  attempt: number;
  idempotencyKey: string;
  amountFen: number;
  status: 'instructed' | 'confirmed' | 'bounced';
  bankRef?: string;
  reason?: string;
  account: { cardLast4: string; holderName: string };
  /** When the instruction was first sent, and when the bank's result (confirmed or bounced) arrived (ISO, UTC). */
  instructedAt?: string;
  settledAt?: string;
  /** Times the instruction was re-sent because the bank had no record of it (same key: paid at most once). */
  resends?: number;
  /** Bank results that did not match this instruction (amount or account): recorded, never counted as paid. */
  mismatches?: { amountFen: number; cardLast4?: string; bankRef: string; at: string }[];
}

export interface InsurerProgress {
  round: number;
  deliveredAt?: string;
  decision?: {
    outcome: string;
    approvedFen?: number;
    reason?: string;
    requestedDocuments?: string[];
    final: boolean;
    decidedAt: string;
  };
  reminders: number;
  /** When the last reminder (or an operator's resend) was sent: the next falls a period later. */
  remindedAt?: string;
  escalated: boolean;
  documentsDueAt?: string;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  actor: { userId: string; role: string };
  action: string;
  fromStage: Stage;
  toStage: Stage;
  reason?: string;
}

export interface PendingAction {
  actions: string[];
  roles: StaffRole[] | ['insurer'] | ['bank'] | ['system'];
  jurisdiction: string;
  dueAt?: string;
  /** The party whose turn it is, for SLA blame. */
  waitingOn: WaitingOn;
  /** A named person an operator assigned the pending action to (cleared when the claim moves on). */
  assignee?: { userId: string; name?: string; assignedBy: string; at: string };
}

export type WaitingOn = Party;

export interface ClaimState {
  claimNo: string;
  claim: ClaimInput;
  divisionCode: string;
  filedBy: Actor;
  filedAt: string;
  appealOf?: string;
  stage: Stage;
  status: Status;
  line: Line;
  proposal?: Proposal;
  reasons: Reason[];
  duplicateOf: string[];
  objections: Objection[];
  notice?: { round: number; startedAt: string; endsAt: string };
  insurer: InsurerProgress;
  approvedFen: number;
  paidFen: number;
  installments: Installment[];
  account: PayoutAccountRef;
  pendingAccount?: { account: PayoutAccountRef; correctedBy: Actor };
  /** A corrected account approved by a second person, to be written to the household's record (once). */
  accountChange?: { account: PayoutAccountRef; correctedBy: string; approvedBy: string; at: string; recorded: boolean };
  slaBreached: boolean;
  history: HistoryEntry[];
  pending: PendingAction;
  /** Delivery and decision ids already applied, so repeats are recognized. */
  seenMessageIds: string[];
  /** An operator asked to send the pending partner message again (insurer package or bank instruction). */
  resendRequested?: boolean;
  exposure?: ExposureHold;
  /** Changes to the household after filing that matter to this claim, for the next reviewer. */
  householdWarnings?: { changeId: string; at: string; code: string; zh: string; en: string }[];
  amountReview?: AmountReview;
  attention?: Attention;
  /** Duplicate-detection keys, computed where hashing is allowed (the API at filing, the assessment activity after). */
  keys: ClaimFingerprint;
}
