import { mapPersonalNumbers, type Household } from '../../domain/household';
import { maskTail } from '../../domain/masking';

/** A household as staff see it: resident IDs, the card number and phone numbers show their last 4 characters only. */
export function householdView(h: Household): Household {
  return mapPersonalNumbers(h, (value) => maskTail(value));
}
