/**
 * The early-warning activity: when a claim has paid, its household's facts are gathered and the county's rules
 * applied; each finding is recorded on the household's open referral for monitoring review, once (keyed by claim and
 * rule), so a retried activity or a replayed workflow never raises a second one.
 */
import type { ClaimRepository } from '../../db/repositories/claims';
import type { HouseholdRepository } from '../../db/repositories/households';
import type { ReferralRepository } from '../../db/repositories/referrals';
import { outOfPocketOf, type ClaimInput } from '../../domain/claim';
import { isWithin } from '../../domain/dates';
import { ageOn, evaluateWarnings, rulesFor, type EarlyWarningRules, type WarningRule } from '../../domain/early-warning';

export interface EarlyWarningDeps {
  claims: Pick<ClaimRepository, 'paidOfHousehold'>;
  households: Pick<HouseholdRepository, 'find'>;
  referrals: ReferralRepository;
  rules: readonly EarlyWarningRules[];
}

/** A resident ID's birth date (18 digits: characters 7–14). */
const birthDateOf = (residentId: string): string | undefined =>
  /^\d{17}[\dX]$/.test(residentId)
    ? `${residentId.slice(6, 10)}-${residentId.slice(10, 12)}-${residentId.slice(12, 14)}`
    : undefined;

export function createEarlyWarningActivities({ claims, households, referrals, rules }: EarlyWarningDeps) {
  return {
    /** Applies the rules to a paid claim; answers the referral its findings are on (none when nothing triggered). */
    async raiseReferrals({
      claimNo,
      claim,
      divisionCode,
      policyYear,
      paidFen,
    }: {
      claimNo: string;
      claim: ClaimInput;
      divisionCode: string;
      policyYear: number | null;
      paidFen: number;
    }): Promise<{ referralId: string | null; rules: WarningRule[] }> {
      const inForce = rulesFor(rules, divisionCode.slice(0, 6), Number(claim.eventDate.slice(0, 4)));
      const household = await households.find(claim.householdId);
      if (!inForce || !household || paidFen <= 0) return { referralId: null, rules: [] };
      const members = household.members.filter(
        (m) =>
          isWithin(claim.eventDate, m.joinedOn ?? '0000-01-01', m.leftOn ?? null) &&
          (m.deceasedOn === undefined || m.deceasedOn >= claim.eventDate),
      ).length;
      const member = household.members.find((m) => m.memberId === claim.memberId);
      const birth = member ? birthDateOf(member.residentId) : undefined;
      const others = await claims.paidOfHousehold(claim.householdId, claimNo);
      const loss = claim.loss;
      const ownOutOfPocket = outOfPocketOf(loss, paidFen);
      const triggers = evaluateWarnings(inForce, {
        claimNo,
        line: claim.line,
        eventDate: claim.eventDate,
        paidFen,
        members,
        ...(birth ? { memberAge: ageOn(birth, claim.eventDate) } : {}),
        ...(loss.line === 'accident'
          ? { accident: { kind: loss.kind, ...(loss.kind === 'disability' ? { disabilityGrade: loss.disabilityGrade } : {}) } }
          : {}),
        ...(loss.line === 'crop' ? { cropLossBp: loss.lossRatioBp } : {}),
        ...(loss.line === 'property' ? { propertyLossFen: loss.assessedLossFen } : {}),
        ...(ownOutOfPocket !== null
          ? {
              yearOutOfPocketFen:
                ownOutOfPocket +
                others
                  .filter((c) => c.line === 'health' && policyYear !== null && c.policyYear === policyYear)
                  .reduce((sum, c) => sum + (c.outOfPocketFen ?? 0), 0),
            }
          : {}),
        otherPaidEventDates: others.map((c) => c.eventDate),
      });
      let referralId: string | null = null;
      for (const trigger of triggers) {
        const raised = await referrals.raise(
          { householdId: household.householdId, divisionCode: household.divisionCode },
          { ...trigger, key: `${claimNo}:${trigger.rule}`, claimNo },
        );
        referralId = raised.referralId;
      }
      return { referralId, rules: triggers.map((t) => t.rule) };
    },
  };
}
