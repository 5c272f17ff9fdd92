/**
 * The monitoring procedure's vocabulary (防返贫动态监测, domain.md "Monitoring procedure"): its stages, the categories
 * an inclusion may give, and the names staff read for its stages and trail entries.
 */
import { CATEGORIES, type Category } from './codes';

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
  sla_escalated: { zh: '超期督办', en: 'escalated as overdue' },
  finding_added: { zh: '新增预警线索', en: 'another finding' },
};
