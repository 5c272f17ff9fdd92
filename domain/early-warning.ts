/**
 * Early warning (及时预警): what the claims system knows that may mean a household is falling back into poverty, as
 * rules configured per region and year (like products), each raising a referral for monitoring review (防返贫动态监测)
 * that names the rule and the figures that triggered it. Pure: the facts are gathered by the caller.
 *
 * The county's monitoring income line (监测收入标准) is a per-person yearly income; domain.md gives about ¥6,000 in 2021
 * and ¥8,500 in one 2024 county *(sourced)*. The thresholds below are this project's defaults *(default, not
 * sourced)*: a county sets its own in its rules file.
 */
import { z } from 'zod';
import { WARNING_RULE_LABELS, type Line, type WarningRule } from './codes';
import { daysBetween, type LocalDate } from './dates';
import { formatYuan, applyRate, type Fen } from './money';
import { BasisPointsSchema, FenSchema } from './value-schemas';

export { WARNING_RULES, WARNING_RULE_LABELS, type WarningRule } from './codes';

/** Referrals that come from elsewhere than a paid claim: a person's clue or proposal, a government data feed. */
export const OTHER_TRIGGERS = ['STAFF_CLUE', 'RISK_ELIMINATION', 'SETTLEMENT_WITHOUT_CLAIM'] as const;
export type TriggerRule = WarningRule | (typeof OTHER_TRIGGERS)[number];
export const TRIGGER_LABELS: Record<TriggerRule, { zh: string; en: string }> = {
  ...WARNING_RULE_LABELS,
  STAFF_CLUE: { zh: '村级排查或农户申报', en: 'a clue from the village or the household' },
  RISK_ELIMINATION: { zh: '风险消除申请', en: 'a proposal to eliminate the risk' },
  SETTLEMENT_WITHOUT_CLAIM: { zh: '大额医保结算尚未报案', en: 'a large medical settlement with no claim yet' },
};

export const EarlyWarningRulesSchema = z.strictObject({
  /** The county (6 digits) and the year the rules apply to (the event's year). */
  countyCode: z.string().regex(/^\d{6}$/),
  year: z.number().int().min(2016).max(2100),
  /** Marked when the figures are this project's defaults, not the county's own. */
  illustrative: z.boolean().default(false),
  /** The monitoring income line: per person, per year. */
  incomeLinePerPersonFen: FenSchema,
  /** A payout at or above this share of the household's yearly income line (members × line). */
  largePayoutShareBp: BasisPointsSchema,
  /** The year's out-of-pocket medical cost (after every reimbursement and our payout) at or above this share. */
  medicalBurdenShareBp: BasisPointsSchema,
  /** Working age, in whole years at the event: from … to (inclusive). */
  workingAge: z.strictObject({ from: z.number().int().min(0), to: z.number().int().max(120) }),
  /** A disability graded this or more severe (grade 1 the most severe) is severe. */
  severeDisabilityGrade: z.number().int().min(1).max(10),
  /** A crop loss at or above this ratio is a total loss. */
  totalCropLossBp: BasisPointsSchema,
  /** A property loss at or above this amount is a major loss. */
  majorPropertyLossFen: FenSchema,
  /**
   * A medical settlement from the bureau's feed whose out-of-pocket part (what the patient paid after basic insurance,
   * critical-illness insurance and medical assistance) is at or above this share, for a member with no health claim
   * for that stay: a referral, and a hint to the village that a claim may be due. Absent: the medical-burden share.
   */
  settlementBurdenShareBp: BasisPointsSchema.optional(),
  /** This many paid claims of the household with events within `frequentWithinDays` of each other. */
  frequentClaims: z.number().int().min(2),
  frequentWithinDays: z.number().int().min(1),
});
export type EarlyWarningRules = z.infer<typeof EarlyWarningRulesSchema>;

/** One rule's finding: which rule, in words, and the figures behind it. */
export interface Trigger<R extends TriggerRule = TriggerRule> {
  rule: R;
  zh: string;
  en: string;
  figures: Record<string, number | string>;
}

/** What the paid claim and its household say, gathered by the caller. */
export interface WarningFacts {
  claimNo: string;
  line: Line;
  eventDate: LocalDate;
  paidFen: Fen;
  /** Members of the household on the event date. */
  members: number;
  /** The claimed member's age in whole years at the event, when known from the resident ID. */
  memberAge?: number;
  accident?: { kind: 'death' | 'disability' | 'medical'; disabilityGrade?: number };
  cropLossBp?: number;
  propertyLossFen?: Fen;
  /** Out-of-pocket medical cost of the household's health claims in the policy year, this one included. */
  yearOutOfPocketFen?: Fen;
  /** Event dates of the household's other paid claims. */
  otherPaidEventDates: readonly LocalDate[];
}

/** The rules in force for a county and year: the latest year not after it. */
export function rulesFor(all: readonly EarlyWarningRules[], countyCode: string, year: number): EarlyWarningRules | undefined {
  return all.filter((r) => r.countyCode === countyCode && r.year <= year).sort((a, b) => b.year - a.year)[0];
}

/** Every rule the facts trigger, in the order of WARNING_RULES. */
export function evaluateWarnings(rules: EarlyWarningRules, facts: WarningFacts): Trigger<WarningRule>[] {
  const triggers: Trigger<WarningRule>[] = [];
  const line = rules.incomeLinePerPersonFen * Math.max(1, facts.members);
  const lineText = `${facts.members} 人 × ${formatYuan(rules.incomeLinePerPersonFen)} = ${formatYuan(line)}`;
  const lineTextEn = `${facts.members} × ${formatYuan(rules.incomeLinePerPersonFen)} = ${formatYuan(line)}`;
  const figures = { incomeLinePerPersonFen: rules.incomeLinePerPersonFen, members: facts.members, householdLineFen: line };

  const largeAt = applyRate(line, rules.largePayoutShareBp);
  if (facts.paidFen > 0 && facts.paidFen >= largeAt)
    triggers.push({
      rule: 'LARGE_PAYOUT',
      zh: `案件 ${facts.claimNo} 赔付 ${formatYuan(facts.paidFen)}，达到全户年监测收入标准（${lineText}）的 ${rules.largePayoutShareBp / 100}%`,
      en: `claim ${facts.claimNo} paid ${formatYuan(facts.paidFen)}, at least ${rules.largePayoutShareBp / 100}% of the household's yearly monitoring income line (${lineTextEn})`,
      figures: { ...figures, paidFen: facts.paidFen, thresholdFen: largeAt },
    });

  const burdenAt = applyRate(line, rules.medicalBurdenShareBp);
  if (facts.line === 'health' && facts.yearOutOfPocketFen !== undefined && facts.yearOutOfPocketFen >= burdenAt)
    triggers.push({
      rule: 'MEDICAL_BURDEN',
      zh: `本年度医疗费用自付 ${formatYuan(facts.yearOutOfPocketFen)}（各项报销和本保险赔付之后），达到全户年监测收入标准的 ${rules.medicalBurdenShareBp / 100}%`,
      en: `out-of-pocket medical cost this policy year ${formatYuan(facts.yearOutOfPocketFen)} (after every reimbursement and this insurance), at least ${rules.medicalBurdenShareBp / 100}% of the household's yearly monitoring income line`,
      figures: { ...figures, outOfPocketFen: facts.yearOutOfPocketFen, thresholdFen: burdenAt },
    });

  const age = facts.memberAge;
  const working = age !== undefined && age >= rules.workingAge.from && age <= rules.workingAge.to;
  const severe =
    facts.accident?.kind === 'death' ||
    (facts.accident?.kind === 'disability' && (facts.accident.disabilityGrade ?? 10) <= rules.severeDisabilityGrade);
  if (working && severe)
    triggers.push({
      rule: 'SEVERE_ACCIDENT',
      zh:
        facts.accident?.kind === 'death'
          ? `劳动年龄成员（${age} 岁）意外身故`
          : `劳动年龄成员（${age} 岁）意外伤残 ${facts.accident?.disabilityGrade} 级`,
      en:
        facts.accident?.kind === 'death'
          ? `accidental death of a working-age member (${age})`
          : `grade ${facts.accident?.disabilityGrade} disability of a working-age member (${age})`,
      figures: { age, ...(facts.accident?.disabilityGrade ? { disabilityGrade: facts.accident.disabilityGrade } : {}) },
    });

  if (facts.cropLossBp !== undefined && facts.cropLossBp >= rules.totalCropLossBp)
    triggers.push({
      rule: 'TOTAL_LOSS',
      zh: `种养业损失程度 ${facts.cropLossBp / 100}%（达到全损标准 ${rules.totalCropLossBp / 100}%）`,
      en: `crop loss of ${facts.cropLossBp / 100}% (a total loss from ${rules.totalCropLossBp / 100}%)`,
      figures: { lossRatioBp: facts.cropLossBp, thresholdBp: rules.totalCropLossBp },
    });
  if (facts.propertyLossFen !== undefined && facts.propertyLossFen >= rules.majorPropertyLossFen)
    triggers.push({
      rule: 'TOTAL_LOSS',
      zh: `家庭财产损失 ${formatYuan(facts.propertyLossFen)}（达到重大损失标准 ${formatYuan(rules.majorPropertyLossFen)}）`,
      en: `household property loss of ${formatYuan(facts.propertyLossFen)} (major from ${formatYuan(rules.majorPropertyLossFen)})`,
      figures: { lossFen: facts.propertyLossFen, thresholdFen: rules.majorPropertyLossFen },
    });

  const near = facts.otherPaidEventDates.filter((d) => Math.abs(daysBetween(d, facts.eventDate)) <= rules.frequentWithinDays);
  if (facts.paidFen > 0 && near.length + 1 >= rules.frequentClaims)
    triggers.push({
      rule: 'FREQUENT_CLAIMS',
      zh: `${rules.frequentWithinDays} 天内已有 ${near.length + 1} 件赔付案件`,
      en: `${near.length + 1} paid claims within ${rules.frequentWithinDays} days`,
      figures: { claims: near.length + 1, withinDays: rules.frequentWithinDays },
    });
  return triggers;
}

/** A settlement from the medical-insurance bureau's feed, for a member of an enrolled household with no claim for it. */
export interface SettlementFacts {
  settlementId: string;
  hospital: string;
  admissionDate: LocalDate;
  dischargeDate: LocalDate;
  /** Total − basic insurance − critical-illness insurance − medical assistance. */
  outOfPocketFen: Fen;
  /** Members of the household on the admission date. */
  members: number;
  memberName: string;
}

/** The settlement's finding, when its out-of-pocket part reaches the rules' share of the household's income line. */
export function evaluateSettlement(rules: EarlyWarningRules, facts: SettlementFacts): Trigger<'SETTLEMENT_WITHOUT_CLAIM'> | null {
  const share = rules.settlementBurdenShareBp ?? rules.medicalBurdenShareBp;
  const line = rules.incomeLinePerPersonFen * Math.max(1, facts.members);
  const at = applyRate(line, share);
  if (facts.outOfPocketFen < at) return null;
  return {
    rule: 'SETTLEMENT_WITHOUT_CLAIM',
    zh: `医保结算 ${facts.settlementId}：${facts.memberName} 于 ${facts.admissionDate} 至 ${facts.dischargeDate} 在${facts.hospital}住院，个人自付 ${formatYuan(facts.outOfPocketFen)}，达到全户年监测收入标准（${facts.members} 人 × ${formatYuan(rules.incomeLinePerPersonFen)}）的 ${share / 100}%；尚未就此报案，请村级核实并协助申报健康保险理赔`,
    en: `medical settlement ${facts.settlementId}: a stay at ${facts.hospital} from ${facts.admissionDate} to ${facts.dischargeDate} left ${formatYuan(facts.outOfPocketFen)} out of pocket, at least ${share / 100}% of the household's yearly monitoring income line; no claim filed for it yet (the village should check and help file one)`,
    figures: {
      settlementId: facts.settlementId,
      outOfPocketFen: facts.outOfPocketFen,
      members: facts.members,
      incomeLinePerPersonFen: rules.incomeLinePerPersonFen,
      householdLineFen: line,
      thresholdFen: at,
    },
  };
}

/** Whole years between a birth date and a day. */
export function ageOn(birthDate: LocalDate, day: LocalDate): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
