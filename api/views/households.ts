import type { Household } from '../../domain/household';
import { maskTail } from '../../domain/masking';

/** A household as staff see it: resident IDs and the card number show their last 4 characters only. */
export function householdView(h: Household) {
  return {
    ...h,
    members: h.members.map((m) => ({ ...m, residentId: maskTail(m.residentId) })),
    payoutAccount: {
      ...h.payoutAccount,
      cardNumber: maskTail(h.payoutAccount.cardNumber),
      holderResidentId: maskTail(h.payoutAccount.holderResidentId),
    },
    ...(h.assistanceContact ? { assistanceContact: { ...h.assistanceContact, phone: maskTail(h.assistanceContact.phone) } } : {}),
  };
}
