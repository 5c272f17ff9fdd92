/**
 * The assessment of a claim from already-loaded facts: eligibility, then the proposed payout with its explanation.
 * Pure; the worker's assessment activity and the API's payout preview both use it.
 */
import { calculatePayout, type Calculation, type CalculationInput, type YearToDate } from './calculator';
import type { ClaimInput } from './claim';
import type { Category } from './codes';
import type { LocalDate } from './dates';
import { checkEligibility, reason, type Reason } from './eligibility';
import type { Household } from './household';
import type { Product } from './product';

export type ClaimAssessment =
  | { eligible: false; reasons: Reason[] }
  | { eligible: true; policyYear: number; productId: string; insurerId: string; category: Category; calculation: Calculation };

export function assessClaim({
  household,
  claim,
  products,
  today,
  yearToDate,
}: {
  household: Household | null;
  claim: ClaimInput;
  products: readonly Product[];
  today: LocalDate;
  /** What other claims already approved; called only when the claim is eligible (it needs the policy year). */
  yearToDate: (policyYear: number) => YearToDate | Promise<YearToDate>;
}): ClaimAssessment | Promise<ClaimAssessment> {
  if (!household) return { eligible: false, reasons: [reason('HOUSEHOLD_NOT_FOUND')] };
  const result = checkEligibility({ household, claim, products, today });
  if (!result.eligible) return { eligible: false, reasons: result.reasons };
  const finish = (ytd: YearToDate): ClaimAssessment => ({
    eligible: true,
    policyYear: result.policyYear,
    productId: result.productId,
    insurerId: result.rule.insurerId,
    category: result.category,
    calculation: calculatePayout({ rule: result.rule, loss: claim.loss, yearToDate: ytd } as CalculationInput),
  });
  const ytd = yearToDate(result.policyYear);
  return ytd instanceof Promise ? ytd.then(finish) : finish(ytd);
}
