/**
 * The monitoring procedure's activities: the county departments' data about the household (the data-source
 * simulators), the inclusion written into the household's dated category history through the same versioned change
 * path every edit takes (keyed by the referral: applied once), and the referral closed. Each is idempotent.
 */
import type { HouseholdRepository } from '../../db/repositories/households';
import type { ReferralProgress, ReferralRepository, ReferralStatus } from '../../db/repositories/referrals';
import { addDays, type LocalDate } from '../../domain/dates';
import type { Category } from '../../domain/codes';
import { CATEGORY_LABELS } from '../../domain/codes';
import { TRIGGER_LABELS } from '../../domain/early-warning';
import { categoryAfterElimination, eliminationRefusal, type ReferralKind } from '../../domain/monitoring';
import type { CategoryPeriod, Household } from '../../domain/household';
import type { DataSources } from '../adapters/data-sources';

export interface MonitoringActivityDeps {
  households: Pick<HouseholdRepository, 'find' | 'propose'>;
  referrals: Pick<ReferralRepository, 'close' | 'open' | 'recordProgress'>;
  dataSources: DataSources;
}

export function createMonitoringActivities({ households, referrals, dataSources }: MonitoringActivityDeps) {
  /** The history with the period covering `from` ended the day before and `period` starting then. */
  const withPeriodFrom = (household: Household, from: LocalDate, period: CategoryPeriod): Household => {
    const dayBefore = addDays(from, -1);
    const history = household.categoryHistory
      .filter((p) => p.from < from)
      .map((p) => (p.to === undefined || p.to >= from ? { ...p, to: dayBefore } : p));
    return { ...household, categoryHistory: [...history, period] };
  };

  return {
    /** Records the referral a person opened, under the workflow's own id (once, however often retried). */
    async openReferral({
      referralId,
      householdId,
      divisionCode,
      kind,
      by,
      reason,
      at,
    }: {
      referralId: string;
      householdId: string;
      divisionCode: string;
      kind: ReferralKind;
      by: { userId: string; role: string; name?: string };
      reason: string;
      at: string;
    }) {
      const rule = kind === 'elimination' ? 'RISK_ELIMINATION' : 'STAFF_CLUE';
      return referrals.open(
        { referralId, kind, householdId, divisionCode },
        {
          key: `${kind}:${referralId}`,
          rule,
          zh: `${TRIGGER_LABELS[rule].zh}（${by.name ?? by.userId}）：${reason}`,
          en: `${TRIGGER_LABELS[rule].en} (${by.userId}): ${reason}`,
          figures: { by: by.userId },
        },
        new Date(at),
      );
    },

    /** The procedure's projection on its referral (idempotent: an older state never replaces a newer one). */
    async recordReferralProgress({ referralId, progress }: { referralId: string; progress: ReferralProgress }) {
      await referrals.recordProgress(referralId, progress);
    },

    /** What the departments hold on the household's members over the last year (medical settlements, deaths). */
    async compareMonitoringData({ householdId, asOf }: { householdId: string; asOf: LocalDate }) {
      const household = await households.find(householdId);
      if (!household) return { records: 0, summary: '未找到农户档案' };
      let settlements = 0;
      let costFen = 0;
      let deaths = 0;
      for (const member of household.members) {
        const found = await dataSources.query('medical-settlements', {
          residentId: member.residentId,
          from: addDays(asOf, -365),
          to: asOf,
        });
        settlements += found.length;
        costFen += found.reduce((sum, s) => sum + s.totalCostFen, 0);
        deaths += (await dataSources.query('deaths', { residentId: member.residentId })).length;
      }
      const summary = `医保结算 ${settlements} 笔（医疗总费用 ¥${(costFen / 100).toFixed(2)}），死亡记录 ${deaths} 条`;
      return { records: settlements + deaths, summary };
    },

    /**
     * The household becomes a monitored one from the decision date: its current category period ends the day before
     * and the new one starts then, as a version approved by the county decider (the township reviewer proposed it).
     */
    async applyInclusion({
      referralId,
      householdId,
      category,
      from,
      proposedBy,
      decidedBy,
    }: {
      referralId: string;
      householdId: string;
      category: Category;
      from: LocalDate;
      proposedBy: string;
      decidedBy: string;
    }): Promise<{ status: string }> {
      const household = await households.find(householdId);
      if (!household) return { status: 'not_found' };
      const after = withPeriodFrom(household, from, {
        category,
        from,
        reason: `纳入${CATEGORY_LABELS[category].zh}（${referralId}）`,
      });
      const result = await households.propose(after, {
        by: { userId: proposedBy, role: 'township' },
        approvedBy: decidedBy,
        reason: `防返贫监测县级审定纳入：${referralId}`,
        source: { kind: 'monitoring_decision', referralId },
        changeId: `monitoring:${referralId}`,
      });
      return { status: result.status };
    },

    /**
     * A monitored household is cleared of risk from the decision date: its monitored period ends the day before and
     * the category it had before monitoring (脱贫户 for one that was) starts then. Refused, changing nothing, when the
     * household is no longer monitored or nobody in it can work (domain.md: such households are not cleared).
     */
    async applyElimination({
      referralId,
      householdId,
      from,
      proposedBy,
      decidedBy,
    }: {
      referralId: string;
      householdId: string;
      from: LocalDate;
      proposedBy: string;
      decidedBy: string;
    }): Promise<{ status: 'applied' | 'refused' | 'not_found'; zh: string }> {
      const household = await households.find(householdId);
      if (!household) return { status: 'not_found', zh: '未找到农户档案' };
      // a retried activity finds its period written: the change is proposed again under its id, a no-op
      const applied = household.categoryHistory.find((p) => p.reason === `风险消除（${referralId}）`);
      const refusal = applied ? null : eliminationRefusal(household, from);
      if (refusal) return { status: 'refused', zh: refusal.zh };
      const category = applied?.category ?? categoryAfterElimination(household, from);
      const after = applied
        ? household
        : withPeriodFrom(household, from, { category, from, reason: `风险消除（${referralId}）` });
      await households.propose(after, {
        by: { userId: proposedBy, role: 'township' },
        approvedBy: decidedBy,
        reason: `防返贫监测县级审定风险消除：${referralId}`,
        source: { kind: 'monitoring_decision', referralId },
        changeId: `monitoring:${referralId}`,
      });
      return { status: 'applied', zh: `自 ${from} 起为${CATEGORY_LABELS[category].zh}` };
    },

    async closeReferral({
      referralId,
      included,
      status,
    }: {
      referralId: string;
      included: boolean;
      /** The procedure's outcome (absent from procedures started before risk elimination). */
      status?: Exclude<ReferralStatus, 'open'>;
    }): Promise<void> {
      await referrals.close(referralId, status ?? (included ? 'included' : 'not_included'));
    },
  };
}
