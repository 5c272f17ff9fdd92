/**
 * The monitoring procedure's vocabulary (防返贫动态监测, domain.md "Monitoring procedure"): its stages, the categories
 * an inclusion may give, and the names staff read for its stages and trail entries.
 */
import { CATEGORIES, CATEGORY_LABELS, type Category } from './codes';
import type { LocalDate } from './dates';
import type { Household } from './household';
import { categoryOn, hasLabourCapacity } from './household-on-date';

export const MONITORING_STAGES = [
  'verification',
  'data_comparison',
  'village_appraisal',
  'public_notice',
  'township_review',
  'county_decision',
  'closed',
] as const;
export type MonitoringStage = (typeof MONITORING_STAGES)[number];
/**
 * What a referral proposes: inclusion into monitoring (纳入监测), or, for a monitored household, risk elimination
 * (风险消除), which follows the same steps.
 */
export const REFERRAL_KINDS = ['inclusion', 'elimination'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];
export const REFERRAL_KIND_LABELS: Record<ReferralKind, { zh: string; en: string }> = {
  inclusion: { zh: '纳入监测', en: 'inclusion into monitoring' },
  elimination: { zh: '风险消除', en: 'risk elimination' },
};

/** How a referral ended (open while undecided; superseded: another referral of the household was open first). */
export const MONITORING_OUTCOMES = ['open', 'included', 'not_included', 'eliminated', 'not_eliminated', 'superseded'] as const;
export type MonitoringOutcome = (typeof MONITORING_OUTCOMES)[number];
export const MONITORING_OUTCOME_LABELS: Record<MonitoringOutcome, { zh: string; en: string }> = {
  open: { zh: '办理中', en: 'open' },
  included: { zh: '已纳入监测', en: 'included' },
  not_included: { zh: '不纳入监测', en: 'not included' },
  eliminated: { zh: '已风险消除', en: 'risk eliminated' },
  not_eliminated: { zh: '不予风险消除', en: 'risk not eliminated' },
  superseded: { zh: '已并入另一线索', en: 'superseded' },
};

export const MONITORED_CATEGORIES: readonly Category[] = CATEGORIES.filter((c) => c.startsWith('monitored_'));

export const MONITORING_STAGE_LABELS: Record<MonitoringStage, { zh: string; en: string }> = {
  verification: { zh: '入户核查', en: 'household verification' },
  data_comparison: { zh: '部门数据比对', en: 'data comparison' },
  village_appraisal: { zh: '村级评议', en: 'village appraisal' },
  public_notice: { zh: '村级公示', en: 'public notice' },
  township_review: { zh: '乡镇初审', en: 'township review' },
  county_decision: { zh: '县级审定', en: 'county decision' },
  closed: { zh: '已办结', en: 'closed' },
};

/** The procedure's trail entries as staff read them. */
export const MONITORING_EVENT_LABELS: Record<string, { zh: string; en: string }> = {
  verified: { zh: '入户核查完成', en: 'household verified' },
  data_compared: { zh: '部门数据比对完成', en: 'data compared' },
  appraised: { zh: '村级评议，进入公示', en: 'appraised, notice started' },
  objection_recorded: { zh: '公示期异议', en: 'objection during the notice' },
  notice_ended: { zh: '公示期满', en: 'notice ended' },
  returned: { zh: '乡镇退回村级', en: 'returned to the village' },
  township_approved: { zh: '乡镇初审同意', en: 'township approved' },
  included: { zh: '县级审定：纳入监测', en: 'county: included in monitoring' },
  not_included: { zh: '县级审定：不纳入', en: 'county: not included' },
  eliminated: { zh: '县级审定：风险消除', en: 'county: risk eliminated' },
  not_eliminated: { zh: '县级审定：不予风险消除', en: 'county: risk not eliminated' },
  elimination_refused: { zh: '整户无劳动能力，不标注风险消除', en: 'no labour capacity: risk not eliminated' },
  superseded: { zh: '该户已有办理中的线索', en: 'the household has another open referral' },
  sla_reminded: { zh: '临期提醒', en: 'reminded: the deadline is near' },
  sla_escalated: { zh: '超期督办', en: 'escalated as overdue' },
  finding_added: { zh: '新增预警线索', en: 'another finding' },
};

/**
 * Why a household cannot be cleared of risk on a date, or null when it can: it must be monitored then, and someone in
 * it must be able to work (domain.md: households with no labour capacity are not cleared).
 */
export function eliminationRefusal(
  household: Pick<Household, 'members' | 'categoryHistory'>,
  on: LocalDate,
): { code: 'NOT_MONITORED' | 'NO_LABOUR_CAPACITY'; zh: string; en: string } | null {
  const category = categoryOn(household, on);
  if (!category || !MONITORED_CATEGORIES.includes(category))
    return {
      code: 'NOT_MONITORED',
      zh: `该户${on}的类别为${category ? CATEGORY_LABELS[category].zh : '（无）'}，不是监测对象，无需风险消除`,
      en: `on ${on} the household is ${category ?? 'uncategorized'}, not monitored`,
    };
  if (!hasLabourCapacity(household, on))
    return {
      code: 'NO_LABOUR_CAPACITY',
      zh: '该户没有登记为有劳动能力（技能、普通或弱劳动力）的成员，整户无劳动能力的监测对象不标注风险消除',
      en: 'nobody in the household is recorded as able to work: a household without labour capacity is not cleared',
    };
  return null;
}

/**
 * The category a cleared household returns to: the one before its monitored run when that was not monitored, else
 * 脱贫户 for 脱贫不稳定户 (a poverty-alleviated household all along) and 一般农户 for the others.
 */
export function categoryAfterElimination(household: Pick<Household, 'categoryHistory'>, on: LocalDate): Category {
  const periods = [...household.categoryHistory].sort((a, b) => a.from.localeCompare(b.from));
  const current = periods.findIndex((p) => p.from <= on && (p.to === undefined || p.to >= on));
  for (let i = current - 1; i >= 0; i--) {
    const category = periods[i]!.category;
    if (!MONITORED_CATEGORIES.includes(category)) return category;
  }
  return periods[current]?.category === 'monitored_unstable' ? 'poverty_alleviated' : 'ordinary';
}
