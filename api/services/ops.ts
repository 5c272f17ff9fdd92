/**
 * What ops needs to see: counts, late and stuck claims with the party holding them up, activities that keep
 * failing (confirmed against Temporal's describe of each workflow), a per-claim explanation, and the safe operator
 * actions. Reads the read model and Temporal; writes only through the claim workflow (audited there).
 */
import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { addDays, shanghaiDateOf } from '../../domain/dates';
import { isInJurisdiction } from '../../domain/divisions';
import { LINES } from '../../domain/codes';
import { STAGES } from '../../domain/lifecycle';
import { claimNotFound } from '../problems';
import { slaClock, stageAllowanceMs, type SlaPolicy } from '../../domain/sla';
import type { ActivityFailureRepository } from '../../db/repositories/activity-failures';
import type { ClaimStatsRepository, LateCondition, OpsClaim } from '../../db/repositories/claim-stats';
import type { ClaimRepository } from '../../db/repositories/claims';
import { claimWorkflowId } from '../../workflows/ids';
import { operatorActions } from '../../workflows/claim/machine';
import type { ActionRequest } from '../../workflows/messages';
import type { Actor } from '../../workflows/claim/types';
import { explain, type PendingActivityView } from '../views/explanation';
import type { ClaimService } from './claims';

export interface OpsServiceDeps {
  stats: ClaimStatsRepository;
  claims: ClaimRepository;
  failures: ActivityFailureRepository;
  claimService: ClaimService;
  client: Client;
  sla: SlaPolicy;
  stuckAfterMs: number;
  /** Links to the Temporal UI (its base URL and the namespace), when one is known. */
  temporalUi?: { url: string; namespace: string };
  now?: () => Date;
}

const CHART_DAYS = 30;
const DESCRIBE_CONCURRENCY = 8;

export function createOpsService(deps: OpsServiceDeps) {
  const { stats, claims, failures, claimService, client, sla, stuckAfterMs, temporalUi, now = () => new Date() } = deps;

  const temporalLink = (claimNo: string) =>
    temporalUi
      ? `${temporalUi.url.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporalUi.namespace)}/workflows/${encodeURIComponent(claimWorkflowId(claimNo))}`
      : null;

  const withClock = (claim: OpsClaim, at: Date) => {
    const clock = slaClock(sla, { ...claim, stageSince: claim.stageSince ?? claim.lastTransitionAt }, at);
    return {
      ...claim,
      workflowId: claimWorkflowId(claim.claimNo),
      clock,
      responsible: claim.pending?.waitingOn ?? 'system',
      links: {
        claim: `/claims/${claim.claimNo}`,
        explain: `/ops/claims/${claim.claimNo}`,
        temporal: temporalLink(claim.claimNo),
      },
    };
  };

  /** Every stage clock as a query condition: entered the stage before (now − allowance). */
  function lateConditions(at: Date): LateCondition[] {
    const conditions: LateCondition[] = [];
    for (const stage of STAGES) {
      if (stage === 'insurer_review') {
        for (const line of LINES) {
          conditions.push({ stage, line, before: new Date(at.getTime() - sla.insurerEscalateAfterMs[line]).toISOString() });
        }
        continue;
      }
      const allowance = stageAllowanceMs(sla, stage, 'crop');
      if (allowance !== undefined) conditions.push({ stage, before: new Date(at.getTime() - allowance).toISOString() });
    }
    return conditions;
  }

  async function describeActivities(claimNo: string): Promise<PendingActivityView[]> {
    const description = await client.workflow.getHandle(claimWorkflowId(claimNo)).describe();
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return (description.raw.pendingActivities ?? []).map((a) => ({
      activityType: a.activityType?.name ?? '?',
      attempt: a.attempt ?? 1,
      maximumAttempts: a.maximumAttempts ? a.maximumAttempts : null,
      state: String(a.state ?? ''),
      lastFailure: a.lastFailure?.message ?? null,
      lastStartedAt: iso(optionalTsToMs(a.lastStartedTime)),
      nextAttemptAt: iso(optionalTsToMs(a.nextAttemptScheduleTime)),
    }));
  }

  async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
    return results;
  }

  return {
    async summary(scope: string) {
      const at = now();
      const figures = await stats.summary(scope, addDays(shanghaiDateOf(at), -(CHART_DAYS - 1)));
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      return {
        asOf: at.toISOString(),
        scope,
        funnel: STAGES.map((stage) => ({ stage, count: figures.byStage[stage] ?? 0 })),
        byStatus: figures.byStatus,
        open: { total: figures.byStatus.open ?? 0, ...figures.open },
        payouts: {
          paidFen: sum(figures.paidFenByLine),
          approvedFen: sum(figures.approvedFenByLine),
          paidFenByLine: figures.paidFenByLine,
          approvedFenByLine: figures.approvedFenByLine,
          installments: figures.installments,
        },
        filedPerDay: { days: CHART_DAYS, series: figures.filedPerDay },
      };
    },

    async late(scope: string, limit: number) {
      const at = now();
      const found = await stats.late(scope, lateConditions(at), limit);
      return { asOf: at.toISOString(), items: found.map((c) => withClock(c, at)) };
    },

    /** Claims the workflow stopped for a person, with the reason in Chinese and English and the stage to resume. */
    /** A person's queue: what waits for their role in their jurisdiction, late first, with the SLA clock. */
    async queue(role: string, scope: string, limit: number) {
      const at = now();
      const { items, stages } = await stats.queue(role, scope, limit);
      return { asOf: at.toISOString(), stages, items: items.map((c) => withClock(c, at)) };
    },

    async attention(scope: string, limit: number) {
      const at = now();
      const found = await stats.needingAttention(scope, limit);
      return { asOf: at.toISOString(), items: found.map((c) => withClock(c, at)) };
    },

    async stuck(scope: string, limit: number) {
      const at = now();
      const found = await stats.stuck(scope, new Date(at.getTime() - stuckAfterMs).toISOString(), limit);
      return {
        asOf: at.toISOString(),
        stuckAfterMs,
        items: found.map((c) => ({ ...withClock(c, at), stuckForMs: at.getTime() - Date.parse(c.stageSince) })),
      };
    },

    /** Recorded failures, each confirmed by describing its workflow; records whose activity has moved on are dropped. */
    async failing(scope: string, limit: number) {
      const records = (await failures.recent(limit * 2)).filter((r) => r.claimNo !== null);
      const inScope = new Map(
        (
          await stats.byClaimNos(
            scope,
            records.map((r) => r.claimNo!),
          )
        ).map((c) => [c.claimNo, c] as const),
      );
      const candidates = records.filter((r) => inScope.has(r.claimNo!)).slice(0, limit);
      const at = now();
      const confirmed = await inBatches(candidates, DESCRIBE_CONCURRENCY, async (record) => {
        const pending = await describeActivities(record.claimNo!).catch(() => []);
        const live = pending.find((a) => a.activityType === record.activityType);
        if (!live) {
          await failures.clear(record.workflowId, record.activityType);
          return null;
        }
        return {
          ...withClock(inScope.get(record.claimNo!)!, at),
          activity: { ...live, lastFailure: live.lastFailure ?? record.message, failingSince: record.firstFailedAt },
        };
      });
      return { asOf: at.toISOString(), items: confirmed.filter((c) => c !== null) };
    },

    /** Why the claim is where it is: the read model, the live workflow state, Temporal's pending activities, the SLA clock and the audit trail. */
    async explain(claimNo: string, actor: Actor) {
      const claim = await claims.find(claimNo);
      if (!claim || !isInJurisdiction(claim.divisionCode, actor.jurisdiction)) throw claimNotFound(claimNo);
      const at = now();
      const [events, live, activities] = await Promise.all([
        claims.events(claimNo),
        claimService.state(claimNo).catch(() => null),
        describeActivities(claimNo).catch(() => []),
      ]);
      const stageSince = claim.stageSince ?? claim.lastTransitionAt;
      const pending = live?.pending ?? claim.pending;
      const clock = slaClock(sla, { stage: claim.stage, line: claim.line, stageSince }, at);
      const facts = {
        claimNo,
        stage: live?.stage ?? claim.stage,
        line: claim.line,
        status: live?.status ?? claim.status,
        stageSince,
        pending,
        clock,
        live: live
          ? {
              notice: live.notice,
              insurer: live.insurer,
              installments: live.installments,
              proposal: live.proposal,
              attention: live.attention,
              amountReview: live.amountReview,
            }
          : null,
        activities,
        lastEvent: events.at(-1) ?? null,
        now: at,
      };
      return {
        claimNo,
        workflowId: claimWorkflowId(claimNo),
        stage: facts.stage,
        status: facts.status,
        line: claim.line,
        divisionCode: claim.divisionCode,
        stageSince,
        pending,
        sla: { ...clock, responsible: pending.waitingOn, flagged: live?.slaBreached ?? claim.slaBreached },
        activities,
        recentEvents: events.slice(-10),
        availableActions: operatorActions(facts.stage),
        explanation: explain(facts),
        links: { claim: `/claims/${claimNo}`, temporal: temporalLink(claimNo) },
      };
    },

    /** An operator action (resend, re-notify, reassign), validated and audited by the claim's workflow. */
    async act(claimNo: string, request: ActionRequest) {
      const claim = await claimService.findFiled(claimNo);
      if (!claim || !isInJurisdiction(claim.divisionCode, request.actor.jurisdiction)) throw claimNotFound(claimNo);
      return claimService.act(claimNo, request);
    },
  };
}

export type OpsService = ReturnType<typeof createOpsService>;
