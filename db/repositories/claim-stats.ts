import type { Connection } from 'mongoose';
import { LINES, type Line } from '../../domain/codes';
import { STAGES, type Stage } from '../../domain/lifecycle';
import type { ClaimProjection } from '../../workflows/claim/projection';
import { claimModel } from '../models/claim';
import { scopeFilter } from './scope';

export type Counts = Record<string, number>;

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
} as const;

/** A stage's clock condition: claims in `stage` (of `line`, when given) that entered it before `before`. */
export interface LateCondition {
  stage: Stage;
  line?: Line;
  before: string;
}

/**
 * Read-only statistics over the claim read model for the ops views and metrics. Each aggregation has exactly one
 * accumulator: FerretDB v1 computes only the first accumulator of a $group correctly (the others come back 0), so
 * totals are separate queries. Plain $match/$group/$unwind only, the same on MongoDB.
 */
export function createClaimStatsRepository(connection: Connection) {
  const claims = claimModel(connection);

  async function group(match: object, key: string, accumulate: object = { $sum: 1 }, unwind?: string): Promise<Counts> {
    const pipeline: object[] = [{ $match: match }];
    if (unwind) pipeline.push({ $unwind: unwind });
    pipeline.push({ $group: { _id: key, value: accumulate } });
    const rows = await claims.aggregate<{ _id: string | number | boolean | null; value: number }>(pipeline as never[]);
    const counts: Counts = {};
    for (const row of rows) counts[row._id === null || row._id === undefined ? 'none' : String(row._id)] = row.value;
    return counts;
  }

  return {
    /** Claims per value of `field`, in a jurisdiction (or everywhere, for metrics), optionally open ones only. */
    countBy(scope: string | null, field: 'stage' | 'line' | 'townshipCode' | 'insurerId' | 'status', openOnly = false) {
      return group({ ...(scope ? scopeFilter(scope) : {}), ...(openOnly ? { status: 'open' } : {}) }, `$${field}`);
    },

    /** Sum of a money field per line. */
    sumByLine(scope: string, field: 'paidFen' | 'approvedFen') {
      return group({ ...scopeFilter(scope), [field]: { $gt: 0 } }, '$line', { $sum: `$${field}` });
    },

    /** Payout instructions per outcome (instructed, confirmed, bounced): counts and amounts. */
    async installments(scope: string | null): Promise<{ count: Counts; fen: Counts }> {
      const match = { ...(scope ? scopeFilter(scope) : {}), 'installments.0': { $exists: true } };
      const [count, fen] = await Promise.all([
        group(match, '$installments.status', { $sum: 1 }, '$installments'),
        group(match, '$installments.status', { $sum: '$installments.amountFen' }, '$installments'),
      ]);
      return { count, fen };
    },

    /** Claims filed per Shanghai day and line since `fromDay` (inclusive). */
    async filedPerDay(scope: string, fromDay: string): Promise<{ day: string; line: Line; count: number }[]> {
      const rows = await claims.aggregate<{ _id: { day: string; line: Line }; value: number }>([
        { $match: { ...scopeFilter(scope), filedOn: { $gte: fromDay } } },
        { $group: { _id: { day: '$filedOn', line: '$line' }, value: { $sum: 1 } } },
      ]);
      return rows
        .map((r) => ({ day: r._id.day, line: r._id.line, count: r.value }))
        .filter((r) => LINES.includes(r.line))
        .sort((a, b) => a.day.localeCompare(b.day) || a.line.localeCompare(b.line));
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

    /** Open claims with no stage change since `before`, longest-waiting first. */
    stuck(scope: string, before: string, limit: number): Promise<OpsClaim[]> {
      return claims
        .find({ ...scopeFilter(scope), status: 'open', stageSince: { $lt: before } }, OPS_FIELDS)
        .sort({ stageSince: 1 })
        .limit(limit)
        .lean<OpsClaim[]>();
    },

    /** The ops fields of some claims, for joining activity failures to their claims. */
    byClaimNos(scope: string, claimNos: string[]): Promise<OpsClaim[]> {
      return claims.find({ ...scopeFilter(scope), claimNo: { $in: claimNos } }, OPS_FIELDS).lean<OpsClaim[]>();
    },

    /** Every stage with its count (zeros included), in lifecycle order. */
    async stageFunnel(scope: string): Promise<{ stage: Stage; count: number }[]> {
      const counts = await group(scopeFilter(scope), '$stage');
      return STAGES.map((stage) => ({ stage, count: counts[stage] ?? 0 }));
    },
  };
}

export type ClaimStatsRepository = ReturnType<typeof createClaimStatsRepository>;
