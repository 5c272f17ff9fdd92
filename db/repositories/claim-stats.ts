import type { Connection } from 'mongoose';
import { LINES, type Line } from '../../domain/codes';
import type { Stage } from '../../domain/lifecycle';
import type { ClaimProjection } from '../../workflows/claim/projection';
import { claimModel } from '../models/claim';
import { scopeFilter } from './scope';

export type Counts = Record<string, number>;

export interface QueueStage {
  stage: Stage;
  count: number;
  late: number;
}

/** A claim as the ops lists show it: the projection without duplicate-detection keys and payout details. */
export type OpsClaim = Pick<
  ClaimProjection,
  | 'claimNo'
  | 'stage'
  | 'status'
  | 'line'
  | 'divisionCode'
  | 'townshipCode'
  | 'insurerId'
  | 'filedAt'
  | 'stageSince'
  | 'lastTransitionAt'
  | 'pending'
  | 'slaBreached'
  | 'approvedFen'
  | 'paidFen'
  | 'attention'
>;

const OPS_FIELDS = {
  _id: 0,
  claimNo: 1,
  stage: 1,
  status: 1,
  line: 1,
  divisionCode: 1,
  townshipCode: 1,
  insurerId: 1,
  filedAt: 1,
  stageSince: 1,
  lastTransitionAt: 1,
  pending: 1,
  slaBreached: 1,
  approvedFen: 1,
  paidFen: 1,
  attention: 1,
} as const;

/** A stage's clock condition: claims in `stage` (of `line`, when given) that entered it before `before`. */
export interface LateCondition {
  stage: Stage;
  line?: Line;
  before: string;
}

type Key = string | number | boolean | null | undefined;
const keyOf = (id: Key) => (id === null || id === undefined ? 'none' : String(id));
const toCounts = (rows: { _id: Key; value: number }[]): Counts => Object.fromEntries(rows.map((r) => [keyOf(r._id), r.value]));

/** The ops summary's figures, each a facet of one aggregation over the scope's claims. */
export interface ClaimSummary {
  byStage: Counts;
  byStatus: Counts;
  open: { byLine: Counts; byTownship: Counts; byInsurer: Counts };
  paidFenByLine: Counts;
  approvedFenByLine: Counts;
  installments: { count: Counts; fen: Counts };
  filedPerDay: { day: string; line: Line; count: number }[];
}

const countOf = (field: string) => [{ $group: { _id: `$${field}`, value: { $sum: 1 } } }];
const openCountOf = (field: string) => [{ $match: { status: 'open' } }, ...countOf(field)];
const INSTALLMENTS = [
  { $unwind: '$installments' },
  { $group: { _id: '$installments.status', count: { $sum: 1 }, fen: { $sum: '$installments.amountFen' } } },
];
const MONEY_BY_LINE = [{ $group: { _id: '$line', paid: { $sum: '$paidFen' }, approved: { $sum: '$approvedFen' } } }];

/** The (stage, filedAt) index of the claim read model (db/models/claim.ts). */
const STAGE_INDEX = { stage: 1, filedAt: -1 };

type MoneyRow = { _id: Key; paid: number; approved: number };
type InstallmentRow = { _id: Key; count: number; fen: number };

/** Read-only statistics over the claim read model for the ops views and metrics: ordinary `$group` and `$facet`. */
export function createClaimStatsRepository(connection: Connection) {
  const claims = claimModel(connection);

  const installmentCounts = (rows: InstallmentRow[]) => ({
    count: Object.fromEntries(rows.map((r) => [keyOf(r._id), r.count])),
    fen: Object.fromEntries(rows.map((r) => [keyOf(r._id), r.fen])),
  });

  return {
    /** Every figure of the ops summary in one aggregation; claims filed per Shanghai day and line since `fromDay`. */
    async summary(scope: string, fromDay: string): Promise<ClaimSummary> {
      const [facets] = await claims.aggregate<{
        byStage: { _id: Key; value: number }[];
        byStatus: { _id: Key; value: number }[];
        openByLine: { _id: Key; value: number }[];
        openByTownship: { _id: Key; value: number }[];
        openByInsurer: { _id: Key; value: number }[];
        money: MoneyRow[];
        installments: InstallmentRow[];
        perDay: { _id: { day: string; line: Line }; value: number }[];
      }>([
        { $match: scopeFilter(scope) },
        {
          $facet: {
            byStage: countOf('stage'),
            byStatus: countOf('status'),
            openByLine: openCountOf('line'),
            openByTownship: openCountOf('townshipCode'),
            openByInsurer: openCountOf('insurerId'),
            money: MONEY_BY_LINE,
            installments: INSTALLMENTS,
            perDay: [
              { $match: { filedOn: { $gte: fromDay } } },
              { $group: { _id: { day: '$filedOn', line: '$line' }, value: { $sum: 1 } } },
            ],
          },
        },
      ]);
      if (!facets) throw new Error('the summary aggregation returned nothing');
      const money = facets.money.filter((r) => r.paid > 0 || r.approved > 0);
      return {
        byStage: toCounts(facets.byStage),
        byStatus: toCounts(facets.byStatus),
        open: {
          byLine: toCounts(facets.openByLine),
          byTownship: toCounts(facets.openByTownship),
          byInsurer: toCounts(facets.openByInsurer),
        },
        paidFenByLine: Object.fromEntries(money.filter((r) => r.paid > 0).map((r) => [keyOf(r._id), r.paid])),
        approvedFenByLine: Object.fromEntries(money.filter((r) => r.approved > 0).map((r) => [keyOf(r._id), r.approved])),
        installments: installmentCounts(facets.installments),
        filedPerDay: facets.perDay
          .map((r) => ({ day: r._id.day, line: r._id.line, count: r.value }))
          .filter((r) => LINES.includes(r.line))
          .sort((a, b) => a.day.localeCompare(b.day) || a.line.localeCompare(b.line)),
      };
    },

    /** Open claims per stage, everywhere (the metrics gauge): a bounded set, on the status index. */
    async openByStage(): Promise<Counts> {
      return toCounts(await claims.aggregate<{ _id: Key; value: number }>([{ $match: { status: 'open' } }, ...countOf('stage')]));
    },

    /**
     * Payout instructions of the claims still in a payout stage, per outcome (instructed, confirmed, bounced): counts
     * and amounts in one `$group`, on the stage index (what is paid and closed is counted as it happens, elsewhere).
     */
    async installmentsInFlight(): Promise<{ count: Counts; fen: Counts }> {
      const match = { stage: { $in: ['payout', 'payout_bounced'] } };
      // hinted: on composite-term indexes DocumentDB's planner was seen choosing a parallel sequential scan here
      return installmentCounts(
        await claims.aggregate<InstallmentRow>([{ $match: match }, ...INSTALLMENTS]).option({ hint: STAGE_INDEX }),
      );
    },

    /** Open claims past any of the stage clocks, or flagged by the workflow (insurer escalation, overdue documents). */
    async late(scope: string, conditions: LateCondition[], limit: number): Promise<OpsClaim[]> {
      const or: object[] = conditions.map((c) => ({
        stage: c.stage,
        ...(c.line ? { line: c.line } : {}),
        stageSince: { $lt: c.before },
      }));
      // the workflow's own escalations count while the claim still waits in the stage that breached
      or.push({ slaBreached: true, stage: { $in: ['insurer_review', 'documents_requested'] } });
      return claims
        .find({ ...scopeFilter(scope), status: 'open', $or: or }, OPS_FIELDS)
        .sort({ stageSince: 1 })
        .limit(limit)
        .lean<OpsClaim[]>();
    },

    /** Claims waiting in needs_attention (a payout mismatch, an impossible step), longest-waiting first. */
    needingAttention(scope: string, limit: number): Promise<OpsClaim[]> {
      return claims
        .find({ ...scopeFilter(scope), stage: 'needs_attention' }, OPS_FIELDS)
        .sort({ stageSince: 1 })
        .limit(limit)
        .lean<OpsClaim[]>();
    },

    /** Open claims with no stage change since `before`, longest-waiting first. */
    stuck(scope: string, before: string, limit: number): Promise<OpsClaim[]> {
      return claims
        .find({ ...scopeFilter(scope), status: 'open', stageSince: { $lt: before } }, OPS_FIELDS)
        .sort({ stageSince: 1 })
        .limit(limit)
        .lean<OpsClaim[]>();
    },

    /**
     * A person's queue (待我处理): open claims waiting for an action of `role` within `scope` (not for a clock), late ones first, then
     * the longest waiting; with the count per stage (and how many of them are late) over the whole queue.
     */
    async queue(role: string, scope: string, limit: number): Promise<{ items: OpsClaim[]; stages: QueueStage[] }> {
      // a claim in public notice lets staff record objections but waits on its clock, not on them: not in the queue
      const match = { ...scopeFilter(scope), status: 'open', 'pending.roles': role, 'pending.waitingOn': { $ne: 'system' } };
      const [items, stages] = await Promise.all([
        claims.find(match, OPS_FIELDS).sort({ slaBreached: -1, stageSince: 1 }).limit(limit).lean<OpsClaim[]>(),
        claims.aggregate<{ _id: Stage; count: number; late: number }>([
          { $match: match },
          { $group: { _id: '$stage', count: { $sum: 1 }, late: { $sum: { $cond: ['$slaBreached', 1, 0] } } } },
        ]),
      ]);
      return {
        items,
        stages: stages.map((s) => ({ stage: s._id, count: s.count, late: s.late })).sort((a, b) => b.count - a.count),
      };
    },

    /** The ops fields of some claims, for joining activity failures to their claims. */
    byClaimNos(scope: string, claimNos: string[]): Promise<OpsClaim[]> {
      return claims.find({ ...scopeFilter(scope), claimNo: { $in: claimNos } }, OPS_FIELDS).lean<OpsClaim[]>();
    },
  };
}

export type ClaimStatsRepository = ReturnType<typeof createClaimStatsRepository>;
