/**
 * The assessment of a claim from already-loaded facts: eligibility, then the proposed payout with its explanation.
 * Pure; the worker's assessment activity and the API's payout preview both use it.
 */
import { calculatePayout, type Calculation, type CalculationInput, type YearToDate } from './calculator';
import type { ClaimInput } from './claim';
import { DOCUMENT_LABELS, type Category, type DocumentKind } from './codes';
import { daysBetween, type LocalDate } from './dates';
import { capsFor, type ExposureCap } from './exposure';
import { checkEligibility, reason, type Reason } from './eligibility';
import type { Household } from './household';
import type { LineRule, Product } from './product';

/** A finding for the reviewers: shown with the claim, never a reason to reject by itself. */
export interface Warning {
  code: string;
  zh: string;
  en: string;
}

export type ClaimAssessment =
  | { eligible: false; reasons: Reason[] }
  | {
      eligible: true;
      policyYear: number;
      productId: string;
      insurerId: string;
      category: Category;
      calculation: Calculation;
      /** The exposure-ledger caps the claim draws on (reserved at county approval). */
      caps: ExposureCap[];
      /** The documents the line's rule requires (what a filing form lists to upload). */
      requiredDocuments: DocumentKind[];
      /** Documents the line's rule requires that the claim lacks: it is returned for them before village review. */
      missingDocuments: DocumentKind[];
      warnings: Warning[];
    };

/** The line's required documents the claim does not carry, in the rule's order. */
export function missingDocuments(rule: LineRule, claim: Pick<ClaimInput, 'documents'>): DocumentKind[] {
  const present = new Set(claim.documents.map((d) => d.kind));
  return rule.requiredDocuments.filter((kind) => !present.has(kind));
}

/** The documents a claim is returned for, in words. */
export function missingDocumentsText(kinds: readonly DocumentKind[]): { zh: string; en: string } {
  return {
    zh: `缺少必备材料：${kinds.map((k) => DOCUMENT_LABELS[k].zh).join('、')}`,
    en: `required documents missing: ${kinds.map((k) => DOCUMENT_LABELS[k].en).join(', ')}`,
  };
}

/** A report later than the line's deadline after the event: a warning with the number of days. */
export function lateReportWarning(rule: LineRule, claim: Pick<ClaimInput, 'eventDate' | 'reportDate'>): Warning | undefined {
  if (rule.reportWithinDays === undefined) return undefined;
  const days = daysBetween(claim.eventDate, claim.reportDate);
  if (days <= rule.reportWithinDays) return undefined;
  return {
    code: 'LATE_REPORT',
    zh: `出险后${days}天才报案，超过规定的${rule.reportWithinDays}天报案时限，请核实原因`,
    en: `reported ${days} days after the event, past the ${rule.reportWithinDays}-day reporting deadline: verify why`,
  };
}

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
    caps: capsFor(result.rule, claim, result.policyYear),
    requiredDocuments: [...result.rule.requiredDocuments],
    missingDocuments: missingDocuments(result.rule, claim),
    warnings: [lateReportWarning(result.rule, claim)].filter((w): w is Warning => w !== undefined),
  });
  const ytd = yearToDate(result.policyYear);
  return ytd instanceof Promise ? ytd.then(finish) : finish(ytd);
}
