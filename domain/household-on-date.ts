/**
 * A registered household as it was on a date: its members then, its category, whether anyone could work. Pure and
 * free of zod (workflow code imports it; see `value-schemas.ts`); `household.ts` holds the record's schemas.
 */
import { ABLE_TO_WORK, type Category } from './codes';
import { isWithin, type LocalDate } from './dates';
import type { Household, Member } from './household';

/** The members in the household on a date: joined, not left, alive. */
export function membersOn(household: Pick<Household, 'members'>, date: LocalDate): Member[] {
  return household.members.filter(
    (m) =>
      (m.joinedOn === undefined || m.joinedOn <= date) &&
      (m.leftOn === undefined || m.leftOn >= date) &&
      (m.deceasedOn === undefined || m.deceasedOn >= date),
  );
}

/**
 * Whether someone in the household can work on a date: a member recorded as skilled, ordinary or weak labour. A
 * household where nobody is (or nobody's capacity is recorded) counts as without labour capacity.
 */
export function hasLabourCapacity(household: Pick<Household, 'members'>, date: LocalDate): boolean {
  return membersOn(household, date).some((m) => m.labour !== undefined && ABLE_TO_WORK.includes(m.labour));
}

/** The household's category on a date, or undefined when no period covers it. */
export function categoryOn(household: Pick<Household, 'categoryHistory'>, date: LocalDate): Category | undefined {
  return household.categoryHistory.find((p) => isWithin(date, p.from, p.to))?.category;
}
