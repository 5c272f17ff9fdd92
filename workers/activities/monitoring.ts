/**
 * The monitoring procedure's activities: the county departments' data about the household (the data-source
 * simulators), the inclusion written into the household's dated category history through the same versioned change
 * path every edit takes (keyed by the referral: applied once), and the referral closed. Each is idempotent.
 */
import type { HouseholdRepository } from '../../db/repositories/households';
import type { ReferralRepository } from '../../db/repositories/referrals';
import { addDays, type LocalDate } from '../../domain/dates';
import type { Category } from '../../domain/codes';
import { CATEGORY_LABELS } from '../../domain/codes';
import type { DataSources } from '../adapters/data-sources';

export interface MonitoringActivityDeps {
  households: Pick<HouseholdRepository, 'find' | 'propose'>;
  referrals: Pick<ReferralRepository, 'close'>;
  dataSources: DataSources;
}

export function createMonitoringActivities({ households, referrals, dataSources }: MonitoringActivityDeps) {
  return {
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
      const dayBefore = addDays(from, -1);
      const history = household.categoryHistory
        .filter((p) => p.from < from)
        .map((p) => (p.to === undefined || p.to >= from ? { ...p, to: dayBefore } : p));
      const after = {
        ...household,
        categoryHistory: [...history, { category, from, reason: `纳入${CATEGORY_LABELS[category].zh}（${referralId}）` }],
      };
      const result = await households.propose(after, {
        by: { userId: proposedBy, role: 'township' },
        approvedBy: decidedBy,
        reason: `防返贫监测县级审定纳入：${referralId}`,
        source: { kind: 'monitoring_decision', referralId },
        changeId: `monitoring:${referralId}`,
      });
      return { status: result.status };
    },

    async closeReferral({ referralId, included }: { referralId: string; included: boolean }): Promise<void> {
      await referrals.close(referralId, included ? 'included' : 'not_included');
    },
  };
}
