/** The API's answers as the workbench reads them (see /openapi.json for the whole contract). */
export interface Bilingual {
  zh: string;
  en: string;
}
export interface Actor {
  userId: string;
  role: string;
  jurisdiction: string;
  name?: string;
}
export interface SessionInfo {
  actor: Actor;
  user?: { username: string; displayName: string; role: string; mustChangePassword: boolean };
}
export interface Member {
  memberId: string;
  name: string;
  relation: string;
  residentId: string;
  joinedOn?: string;
  leftOn?: string;
  deceasedOn?: string;
  labour?: string;
}
export interface CategoryPeriod {
  category: string;
  from: string;
  to?: string;
  reason?: string;
}
export interface Enrollment {
  policyYear: number;
  line: string;
  enrolledOn: string;
}
export interface Household {
  householdId: string;
  divisionCode: string;
  members: Member[];
  categoryHistory: CategoryPeriod[];
  enrollments: Enrollment[];
  assistanceContact?: AssistanceContact;
}
export interface AssistanceContact {
  name: string;
  phone: string;
  unit?: string;
}
export interface AssistanceMeasure {
  kind: string;
  content: string;
  startOn: string;
  endOn?: string;
  responsible?: string;
  status: string;
}
/** GET /households/{id}/assistance. */
export interface Assistance {
  householdId: string;
  contact: AssistanceContact | null;
  version: number;
  measures: AssistanceMeasure[];
  updatedAt: string | null;
  revisions: { version: number; at: string; by: { userId: string; name?: string }; note?: string; measureCount: number }[];
}
export interface Clock {
  breached: boolean;
  overdueMs: number;
  dueAt: string | null;
}
export interface ClaimRow {
  claimNo: string;
  householdId: string;
  stage: string;
  status: string;
  line: string;
  divisionCode: string;
  eventDate: string;
  stageSince: string;
  proposedFen: number;
  approvedFen: number;
  paidFen: number;
  clock: Clock;
  pending?: { actions: string[]; roles: string[] };
}
export interface QueueAnswer {
  asOf: string;
  stages: { stage: string; count: number; late: number }[];
  items: ClaimRow[];
}
export interface TrailEvent {
  at: string;
  actor: { userId: string; role: string };
  action: string;
  reason?: string;
}
export interface ClaimDocument {
  name: string;
  kind: string;
  sha256: string;
}
export interface ExplanationLine extends Bilingual {
  amountFen: number;
}
export interface LiveClaim {
  claimNo: string;
  stage: string;
  status: string;
  appealOf?: string;
  claim: { householdId: string; memberId: string; line: string; documents: ClaimDocument[]; eventDate: string };
  proposal?: { payableFen: number; lines: ExplanationLine[]; warnings: Bilingual[]; missingDocuments?: string[] };
  reasons: Bilingual[];
  objections: { objectionId: string; objectorName: string; reason: string; at: string; resolution?: string }[];
  notice?: { round: number; startedAt: string; endsAt: string };
  account: { cardNumber: string; holderName: string; holderResidentId: string };
  pendingAccount?: { account: { cardNumber: string; holderName: string }; correctedBy: string };
  pending: { actions: string[]; roles: string[]; dueAt?: string };
}
export interface ClaimPage {
  claim: ClaimRow;
  timeline: TrailEvent[];
  live?: LiveClaim;
  possiblyStale?: Bilingual;
}
export interface Cap extends Bilingual {
  limitFen: number;
  heldFen: number;
  paidFen: number;
  remainingFen: number;
}
export interface ExposureAnswer {
  years: { policyYear: number; lines: { line: string; caps: Cap[] }[] }[];
}
export interface Preview {
  eligible: boolean;
  reasons: Bilingual[];
  calculation: { payableFen: number; lines: ExplanationLine[] };
  missingDocuments: string[];
  warnings: Bilingual[];
}
export interface UserRow {
  username: string;
  displayName: string;
  role: string;
  jurisdiction: string;
  status: 'active' | 'disabled';
  lockedUntil?: string | null;
  mustChangePassword?: boolean;
  version: number;
}
/** The notice list as the API answers it: the domain's own type (a type only: nothing of the domain is bundled). */
export type { PublicNotice } from '../../domain/notice';

/** The ops API's answers the 运行监控 page shows (GET /ops/summary, /ops/late, /ops/stuck, /ops/attention, …). */
interface SlaClock {
  dueAt: string | null;
  breached: boolean;
  overdueMs: number;
}
interface OpsClaimRow {
  claimNo: string;
  stage: string;
  line: string;
  stageSince: string;
  responsible: string;
  clock: SlaClock;
}
interface Pending {
  waitingOn: string;
  actions?: string[];
  roles?: string[];
  assignee?: { userId: string } | null;
}
export interface OpsBoard {
  summary: {
    asOf: string;
    funnel: { stage: string; count: number }[];
    open: { total: number };
    payouts: {
      paidFen: number;
      approvedFen: number;
      paidFenByLine: Record<string, number>;
      approvedFenByLine: Record<string, number>;
      installments: { count: Record<string, number>; fen: Record<string, number> };
    };
    filedPerDay: { days: number; series: { day: string; line: string; count: number }[] };
  };
  late: { items: OpsClaimRow[] };
  stuck: { items: (OpsClaimRow & { stuckForMs: number; pending: Pending })[] };
  attention: { items: (OpsClaimRow & { attention?: { fromStage?: string; zh: string; en: string } })[] };
  failing: {
    items: (OpsClaimRow & {
      activity: { activityType: string; attempt: number; lastFailure: string | null; nextAttemptAt: string | null };
    })[];
  };
  referrals: {
    open: number;
    items: {
      referralId: string;
      kind: string;
      householdId: string;
      responsible: string;
      overdueMs: number;
      progress?: { stage: string; dueAt: string } | null;
    }[];
  };
}
export interface OpsClaimExplanation {
  claimNo: string;
  stage: string;
  status: string;
  explanation: { zh: string[]; en: string[] };
  links: { temporal: string | null };
  availableActions: string[];
  recentEvents: { at: string; action: string; reason?: string; actor: { userId: string; role: string } }[];
}
