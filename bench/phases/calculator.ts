/** Payout assessments per second: eligibility plus the explainable calculation, a pure function on one core. */
import { assessClaim } from '../../domain/assessment';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import { benchHousehold, propertyClaim } from '../claims';

export function measureCalculator(seconds = 2): { perSecond: number } {
  const household = benchHousehold(1);
  const claims = Array.from({ length: 50 }, (_, n) => propertyClaim(household, n));
  const none = {
    householdFen: 0,
    memberFen: 0,
    accidentDeathDisabilityFen: 0,
    accidentMedicalFen: 0,
    educationSameAdmissionFen: 0,
  };
  let count = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (const claim of claims) {
      const result = assessClaim({ household, claim, products: SIXIAN_PRODUCTS, today: '2026-11-29', yearToDate: () => none });
      if (result instanceof Promise || !result.eligible)
        throw new Error('the bench claim must be eligible and assessed synchronously');
      count += 1;
    }
  }
  return { perSecond: count / ((performance.now() - started) / 1000) };
}
