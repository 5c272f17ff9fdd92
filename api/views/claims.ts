import { maskName, maskTail } from '../../domain/masking';
import type { ClaimProjection } from '../../workflows/claim/projection';
import type { ClaimState, PayoutAccountRef } from '../../workflows/claim/types';

const maskAccount = (a: PayoutAccountRef) => ({
  cardNumber: maskTail(a.cardNumber),
  holderName: maskName(a.holderName),
  holderResidentId: maskTail(a.holderResidentId),
});

/** The workflow's live state as staff see it: card numbers, resident IDs and names masked. */
export function claimStateView(state: ClaimState) {
  const { account, pendingAccount, objections, seenMessageIds: _seen, keys: _keys, ...rest } = state;
  return {
    ...rest,
    account: maskAccount(account),
    ...(pendingAccount
      ? { pendingAccount: { account: maskAccount(pendingAccount.account), correctedBy: pendingAccount.correctedBy.userId } }
      : {}),
    objections: objections.map((o) => ({ ...o, objectorName: maskName(o.objectorName) })),
    installments: state.installments.map((i) => ({
      ...i,
      account: { ...i.account, holderName: maskName(i.account.holderName) },
    })),
  };
}

/** A read-model row as staff see it (lists and the claim page): the payees' names on installments masked. */
export function claimSummaryView<P extends Pick<ClaimProjection, 'installments'>>(claim: P): P {
  return {
    ...claim,
    installments: claim.installments.map((i) => ({
      ...i,
      account: { ...i.account, holderName: maskName(i.account.holderName) },
    })),
  };
}
