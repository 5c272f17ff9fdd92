/** What a health claim leaves the household to pay. Free of zod: workflow code imports it (see `value-schemas.ts`). */
import type { Loss } from './claim';

/** A health claim's cost left to the household: the total less every reimbursement and what this claim paid. */
export function outOfPocketOf(loss: Loss, paidFen: number): number | null {
  if (loss.line !== 'health') return null;
  const reimbursed = loss.basicInsuranceFen + loss.criticalIllnessFen + loss.medicalAssistanceFen + loss.otherInsuranceFen;
  return Math.max(0, loss.totalCostFen - reimbursed - paidFen);
}
