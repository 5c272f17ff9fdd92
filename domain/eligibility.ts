/**
 * Eligibility of a claim, as a pure function of the household, the claim, the product versions and today's date.
 * Either eligible (with the rule version and category that apply) or every reason it is not, each with a stable
 * code and a Chinese and an English message.
 */
import type { ClaimInput } from './claim';
import type { Category } from './codes';
import { addDays, maxDate, type LocalDate } from './dates';
import type { Household, Member } from './household';
import { categoryOn } from './household-on-date';
import { ruleFor, type LineRule, type Product } from './product';
import { reason, type Reason, type ReasonCode } from './reasons';

export { REASONS, reason, type Reason, type ReasonCode } from './reasons';

export type EligibilityResult =
  | { eligible: true; policyYear: number; productId: string; category: Category; rule: LineRule; member: Member }
  | { eligible: false; reasons: Reason[] };

export interface EligibilityInput {
  household: Household;
  claim: ClaimInput;
  products: readonly Product[];
  /** Today's date in Asia/Shanghai. */
  today: LocalDate;
}

export function checkEligibility({ household, claim, products, today }: EligibilityInput): EligibilityResult {
  const reasons: ReasonCode[] = [];
  const { eventDate, reportDate, loss } = claim;

  if (eventDate > today) reasons.push('EVENT_IN_FUTURE');
  if (reportDate > today) reasons.push('REPORT_IN_FUTURE');
  if (reportDate < eventDate) reasons.push('REPORT_BEFORE_EVENT');

  const member = household.members.find((m) => m.memberId === claim.memberId);
  if (!member) reasons.push('MEMBER_NOT_FOUND');
  else {
    const isDeathClaim = loss.line === 'accident' && loss.kind === 'death';
    if ((member.joinedOn && member.joinedOn > eventDate) || (member.leftOn && member.leftOn < eventDate))
      reasons.push('MEMBER_NOT_IN_HOUSEHOLD_ON_EVENT');
    if (member.deceasedOn !== undefined && member.deceasedOn < eventDate) reasons.push('MEMBER_DECEASED');
    else if (isDeathClaim && member.deceasedOn !== eventDate) reasons.push('DEATH_NOT_RECORDED');
  }

  const found = ruleFor(products, claim.line, eventDate);
  const category = categoryOn(household, eventDate);
  if (!found) reasons.push('NO_POLICY_PERIOD');
  else {
    const { product, rule } = found;
    if (!category || !rule.eligibleCategories.includes(category)) reasons.push('CATEGORY_NOT_ELIGIBLE');
    const enrollment = household.enrollments.find((e) => e.policyYear === product.policyYear && e.line === claim.line);
    if (!enrollment) reasons.push('NOT_ENROLLED');
    else if (enrollment.enrolledOn > eventDate) reasons.push('EVENT_BEFORE_ENROLLMENT');
    else {
      const renewed = household.enrollments.some((e) => e.policyYear === product.policyYear - 1 && e.line === claim.line);
      const waitingDays = waitingPeriodDays(rule, claim);
      const coverageStart = maxDate(enrollment.enrolledOn, rule.period.start);
      if (!renewed && waitingDays > 0 && eventDate < addDays(coverageStart, waitingDays)) reasons.push('WAITING_PERIOD');
    }
    reasons.push(...lineSpecificReasons(rule, claim));
  }

  if (reasons.length > 0 || !found || !category || !member) {
    return { eligible: false, reasons: reasons.map(reason) };
  }
  return {
    eligible: true,
    policyYear: found.product.policyYear,
    productId: found.product.productId,
    category,
    rule: found.rule,
    member,
  };
}

/** The line's waiting period, or the livestock observation period for a livestock item. Renewals (续保) are exempt. */
function waitingPeriodDays(rule: LineRule, claim: ClaimInput): number {
  if (rule.line === 'crop' && claim.loss.line === 'crop') {
    const item = claim.loss.item;
    const isLivestock = rule.items.find((i) => i.code === item)?.kind === 'livestock';
    return Math.max(rule.waitingPeriodDays, isLivestock ? rule.livestockObservationDays : 0);
  }
  return rule.waitingPeriodDays;
}

function lineSpecificReasons(rule: LineRule, claim: ClaimInput): ReasonCode[] {
  const loss = claim.loss;
  const reasons: ReasonCode[] = [];
  if (rule.line === 'crop' && loss.line === 'crop') {
    if (!rule.items.some((i) => i.code === loss.item)) reasons.push('UNKNOWN_CROP_ITEM');
    if (rule.exclusions.includes(loss.cause)) reasons.push('EXCLUDED_CAUSE');
  }
  if (rule.line === 'property' && loss.line === 'property' && rule.exclusions.includes(loss.cause))
    reasons.push('EXCLUDED_CAUSE');
  if (rule.line === 'education' && loss.line === 'education') {
    if (rule.benefitsFen[loss.level] === undefined) reasons.push('LEVEL_NOT_COVERED');
    if (String(loss.admissionYear) !== claim.eventDate.slice(0, 4)) reasons.push('ADMISSION_YEAR_MISMATCH');
  }
  return reasons;
}
